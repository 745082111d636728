// A busybox container through the whole lifecycle manager with the real start-up and the
// host's cgroups: a memory limit makes the kernel OOM-kill it, and the manager records what
// Docker does (exit 137, OOMKilled, an "oom" event), then rm leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectCgroups } from '../../../runtime/cgroups';
import { ContainerManager } from '../../../runtime/container/manager';
import { createStarter } from '../../../runtime/container/starter';
import { writeInitLayer } from '../../../runtime/container/start/init-layer';
import { ContainerStore } from '../../../runtime/container/state';
import { VolumeStore } from '../../../runtime/volumes';
import { makeBusyboxRootfs } from '../../helpers/rootfs';
import { privileged } from '../../helpers/tiers';
import { bundles, sys } from '../container/harness';

const MiB = 1024 * 1024;

function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-mgr-'));
  const rootfs = makeBusyboxRootfs(path.join(root, 'image')).path;
  const store = new ContainerStore(path.join(root, 'state'));
  const volumes = new VolumeStore(path.join(root, 'state'), { usedBy: (n) => store.list().filter((r) => ContainerManager.volumesOf(r).includes(n)).map((r) => r.id) });
  const events: string[] = [];
  const errors: string[] = [];
  const cgroups = detectCgroups();
  const manager = new ContainerManager({
    store, volumes, cgroups,
    starter: createStarter(sys(), bundles()),
    images: { resolve: async () => ({ id: `sha256:${'e'.repeat(64)}`, config: { Cmd: ['sh'] }, layers: [rootfs] }) },
    publish: (e) => events.push(e.Action),
    host: { cpus: os.cpus().length, hostname: os.hostname(), memory: os.totalmem() },
    writeInitLayer: (dir, o) => writeInitLayer(dir, o),
    onError: (ctx, err) => errors.push(`${ctx}: ${String(err)}`),
  });
  return { root, store, cgroups, manager, events, errors, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

test('manager + real start-up: memory limit → OOM kill, exit 137, OOMKilled, then rm cleans up', privileged, async () => {
  const s = setup();
  try {
    await s.store.load();
    const { Id } = await s.manager.create({
      Image: 'busybox',
      Cmd: ['sh', '-c', 'echo hello; x=aaaaaaaa; while true; do x=$x$x; done'],
      HostConfig: { Memory: 16 * MiB, MemorySwap: 16 * MiB },
    }, { name: 'oomer' });
    await s.manager.start(Id);
    assert.equal(s.cgroups.exists(Id), true);
    const result = await s.manager.wait(Id);
    assert.equal(result.StatusCode, 137);
    const rec = s.store.get(Id);
    assert.equal(rec.state.oomKilled, true);
    assert.equal(rec.state.status, 'exited');
    assert.match(fs.readFileSync(rec.logPath, 'utf8'), /"log":"hello\\n","stream":"stdout"/);
    assert.equal(s.cgroups.exists(Id), false, 'cgroup removed at exit');
    assert.deepEqual(s.events, ['create', 'start', 'oom', 'die']);
    await s.manager.remove(Id);
    assert.equal(fs.existsSync(s.store.containerDir(Id)), false);
    assert.deepEqual(s.errors, []);
  } finally {
    s.cleanup();
  }
});

test('manager + real start-up: stop of a process that ignores SIGTERM takes the timeout, then SIGKILL', privileged, async () => {
  const s = setup();
  try {
    await s.store.load();
    const { Id } = await s.manager.create({ Image: 'busybox', Cmd: ['sh', '-c', "trap '' TERM; echo ready; while true; do sleep 1; done"], HostConfig: { PidsLimit: 20, NanoCpus: 5e8 } });
    await s.manager.start(Id);
    const rec = s.store.get(Id);
    assert.ok(rec.state.pid > 0 && rec.state.pidStartTime !== undefined);
    // Wait for the trap to be set before stopping.
    for (let i = 0; i < 100 && !fs.existsSync(rec.logPath); i++) await new Promise((r) => setTimeout(r, 20));
    const stats = s.manager.stats(Id);
    assert.ok(stats.pids_stats.current >= 1);
    assert.equal(stats.pids_stats.limit, 20);
    const t0 = Date.now();
    await s.manager.stop(Id, { timeout: 1 });
    const took = Date.now() - t0;
    assert.ok(took >= 900, `stop took ${took} ms`);
    assert.equal(s.store.get(Id).state.exitCode, 137);
    assert.equal(s.cgroups.exists(Id), false);
    await s.manager.remove(Id);
    assert.deepEqual(s.errors, []);
  } finally {
    s.cleanup();
  }
});
