// The service's idle pool against the real kernel: after its idle time the pre-started Workers
// end, their waiting init is reaped (no zombie is left), a container that a live Worker runs is
// not touched (its exit still reaches its Worker), and the next start makes a warm pool again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { readProcStat } from '../../../runtime/common/proc-stat';
import { privileged } from '../../helpers/tiers';
import { WorkerPool } from '../../../runtime/container/start/session';
import { startContainer } from '../../../runtime/container/start/start';
import { IdlePool } from '../../../runtime/service/parts/pool';
import { boxSpec, bundles, hostMountsUnder, makeBox, sys, type Box } from '../container/harness';

/** This process's children: pid → state letter and argv0. */
function children(): Array<{ pid: number; state: string; argv0: string }> {
  const out = [];
  for (const p of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readProcStat(p);
      if (stat?.ppid !== process.pid) continue;
      out.push({ pid: Number(p), state: stat.state, argv0: fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0] });
    } catch { /* gone */ }
  }
  return out;
}

async function until(what: string, fn: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: children ${JSON.stringify(children())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('idle pool', privileged, () => {
  let box: Box;
  let pool: IdlePool;
  const errors: string[] = [];
  const prewarm = { namespaces: ['pid', 'network', 'ipc', 'uts', 'mount', 'cgroup'] as const, initPath: bundles().initPath };
  before(() => {
    box = makeBox();
    pool = new IdlePool(() => new WorkerPool({ ...bundles(), plain: 1, prewarm: { ...prewarm, namespaces: [...prewarm.namespaces] } }), sys(), {
      idleMs: 1500, onError: (c, e) => errors.push(`${c}: ${String(e)}`),
    });
  });
  after(async () => {
    await pool.close();
    try { assert.deepEqual(hostMountsUnder(box.dir), []); } finally { box.cleanup(); }
  });

  test('a release reaps the waiting init, leaves a running container to its Worker, and the next start is warm again', async () => {
    const long = await startContainer(boxSpec(box, ['sleep', '60']), { sys: sys(), pool: pool.get(), ...bundles() });
    await until('a waiting pre-started init', () => children().some((c) => c.argv0 === 'slipway-init' && c.state !== 'Z'));
    await until('the idle release', () => !pool.holding, 5_000);
    await pool.released;
    assert.deepEqual(children().filter((c) => c.state === 'Z' || c.argv0 === 'slipway-init'), [], 'no zombie, no waiting init');
    // (tsx's esbuild is a child of this process too: look for the container only)
    assert.ok(children().some((c) => c.pid === long.pid && c.state !== 'Z'), `the running container is still there: ${JSON.stringify(children())}`);
    long.kill('SIGKILL');
    assert.deepEqual(await long.exited, { exitCode: 137, signal: 'SIGKILL' }, 'its exit reached its own Worker');

    fs.rmSync(box.out, { force: true });
    const next = await startContainer(boxSpec(box, ['sh', '-c', 'echo again']), { sys: sys(), pool: pool.get(), ...bundles() });
    assert.deepEqual(await next.exited, { exitCode: 0 });
    assert.equal(fs.readFileSync(box.out, 'utf8'), 'again\n');
    assert.equal(pool.holding, true, 'a pool again');
    await until('the new pool\'s waiting init', () => children().some((c) => c.argv0 === 'slipway-init'));
    assert.deepEqual(errors, []);
  });
});
