// The WorkerPool's warm paths: pre-started Workers for exec, and pre-warmed inits (namespaces
// made, Node started, waiting for a config) for runs whose namespace set matches.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { readProcStat } from '../../../runtime/common/proc-stat';
import { privileged } from '../../helpers/tiers';
import { execInContainer } from '../../../runtime/container/exec/exec';
import { WorkerPool } from '../../../runtime/container/start/session';
import { startContainer } from '../../../runtime/container/start/start';
import { boxSpec, bundles, hostMountsUnder, makeBox, sys, type Box } from './harness';

function childInits(): number[] {
  // Pre-warmed inits are this process's children, named by their argv0.
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((pid) => {
    try {
      return readProcStat(pid)?.ppid === process.pid
        && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('slipway-init');
    } catch { return false; }
  });
}

describe('worker pool', privileged, () => {
  let box: Box;
  let pool: WorkerPool;
  before(() => {
    box = makeBox();
    pool = new WorkerPool({ ...bundles(), plain: 1, prewarm: { namespaces: ['pid', 'network', 'ipc', 'uts', 'mount', 'cgroup'], initPath: bundles().initPath } });
  });
  after(async () => {
    await pool.close();
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(childInits(), [], 'closing the pool ends its waiting inits');
    try { assert.deepEqual(hostMountsUnder(box.dir), []); } finally { box.cleanup(); }
  });

  test('runs in a row through pre-warmed inits, each isolated and fresh', async () => {
    for (let i = 0; i < 3; i++) {
      fs.rmSync(box.out, { force: true });
      const c = await startContainer(boxSpec(box, ['sh', '-c', `echo run-${i} pid=$$; hostname`]), { sys: sys(), pool, ...bundles() });
      assert.deepEqual(await c.exited, { exitCode: 0 });
      assert.equal(fs.readFileSync(box.out, 'utf8'), `run-${i} pid=1\nslipwaytest\n`);
    }
  });

  test('a pre-warmed Worker comes back after its container and makes fresh namespaces for the next', async () => {
    const before = { ...pool.counts };
    const own = ['net', 'uts', 'ipc', 'pid'].map((ns) => fs.readlinkSync(`/proc/self/ns/${ns}`));
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 150)); // the Worker is back and pre-warming
      fs.rmSync(box.out, { force: true });
      // A POSIX message queue lives in its ipc namespace: a run sharing the last one's would list it.
      const script = `for n in net uts ipc pid; do readlink /proc/self/ns/$n; done; touch /dev/mqueue/q${i}; ls /dev/mqueue; echo pid=$$; hostname`;
      const c = await startContainer(boxSpec(box, ['sh', '-c', script]), { sys: sys(), pool, ...bundles() });
      assert.deepEqual(await c.exited, { exitCode: 0 });
      const out = fs.readFileSync(box.out, 'utf8').trim().split('\n');
      assert.deepEqual(out.slice(4), [`q${i}`, 'pid=1', 'slipwaytest'], `run ${i}`);
      for (const ns of out.slice(0, 4)) assert.ok(!own.includes(ns), `run ${i}: ${ns} is the host's`);
    }
    assert.ok(pool.counts.reused - before.reused >= 3, `Workers taken back: ${JSON.stringify(pool.counts)} (before ${JSON.stringify(before)})`);
    assert.ok(pool.counts.started - before.started <= 1, `Workers started: ${JSON.stringify(pool.counts)} (before ${JSON.stringify(before)})`);
  });

  // The replacement waits until the job ended (or REFILL_DELAY_MS for a job that goes on), so
  // that it does not compete with the run that took the Worker; it must come all the same.
  test('the pool refills after a run ends, and while a long one goes on', async () => {
    const waitingInits = async (n: number) => {
      const until = Date.now() + 5000;
      while (childInits().length !== n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return childInits().length;
    };
    assert.equal(await waitingInits(1), 1, 'one waiting init before');
    const short = await startContainer(boxSpec(box, ['true']), { sys: sys(), pool, ...bundles() });
    await short.exited;
    assert.equal(await waitingInits(1), 1, 'a waiting init again after the run');
    const long = await startContainer(boxSpec(box, ['sleep', '30']), { sys: sys(), pool, ...bundles() });
    try {
      assert.equal(await waitingInits(1), 1, 'a waiting init while the container runs');
    } finally {
      long.kill();
      await long.exited;
    }
  });

  test('a run with a different namespace set (host network) takes a plain worker', async () => {
    fs.rmSync(box.out, { force: true });
    const spec = boxSpec(box, ['sh', '-c', 'readlink /proc/self/ns/net']);
    spec.linux.namespaces = spec.linux.namespaces.filter((n) => n.type !== 'network');
    const c = await startContainer(spec, { sys: sys(), pool, ...bundles() });
    assert.deepEqual(await c.exited, { exitCode: 0 });
    assert.equal(fs.readFileSync(box.out, 'utf8').trim(), fs.readlinkSync('/proc/self/ns/net'));
  });

  test('exec through a pooled worker', async () => {
    const c = await startContainer(boxSpec(box, ['sleep', '30']), { sys: sys(), pool, ...bundles() });
    try {
      const p = await execInContainer(c.pid, { args: ['hostname'], env: [], cwd: '/', user: { uid: 0, gid: 0 } }, { sys: sys(), pool });
      let out = '';
      p.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d; });
      assert.equal((await p.exited).exitCode, 0);
      await new Promise((r) => (p.stdout?.readableEnded ? r(null) : p.stdout?.once('close', r)));
      assert.equal(out, 'slipwaytest\n');
    } finally {
      c.kill();
      await c.exited;
    }
  });

  test('a killed waiting init is replaced by a cold start', async () => {
    await new Promise((r) => setTimeout(r, 300)); // let the pool refill
    for (const pid of childInits()) process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100)); // the kernel has them exit (zombies until reaped)
    fs.rmSync(box.out, { force: true });
    const c = await startContainer(boxSpec(box, ['echo', 'still works']), { sys: sys(), pool, ...bundles() });
    assert.deepEqual(await c.exited, { exitCode: 0 });
    assert.equal(fs.readFileSync(box.out, 'utf8'), 'still works\n');
  });
});
