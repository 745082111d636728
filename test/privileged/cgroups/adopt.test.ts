// kill -9 of the service while a container runs: a new manager over the same state dir finds
// it still running (same pid and start time), its log keeps growing from the saved offsets,
// and stop works on a process that is no longer our child.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectCgroups } from '../../../runtime/cgroups';
import { ContainerManager } from '../../../runtime/container/manager';
import { createStarter } from '../../../runtime/container/starter';
import { ContainerStore } from '../../../runtime/container/state';
import { VolumeStore } from '../../../runtime/volumes';
import { makeBusyboxRootfs } from '../../helpers/rootfs';
import { privileged } from '../../helpers/tiers';
import { bundles, sys } from '../container/harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ticks = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('tick')).length : 0);

test('re-adoption after kill -9 of the service: still running, logs continue, stop works', privileged, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-adopt-'));
  const state = path.join(root, 'state');
  const rootfs = makeBusyboxRootfs(path.join(root, 'image')).path;
  const { initPath, workerPath } = bundles();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'service-child.ts'), state, rootfs, initPath, workerPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  let pid = 0;
  let manager: ContainerManager | undefined;
  try {
    const [line] = await Promise.race([once(child.stdout!, 'data'), once(child, 'exit').then(() => { throw new Error('service child exited'); })]) as [Buffer];
    const id = line.toString().trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    const logFile = path.join(state, 'containers', id, `${id}-json.log`);
    for (let i = 0; i < 100 && ticks(logFile) < 2; i++) await sleep(20);
    child.kill('SIGKILL');
    await once(child, 'exit');

    const store = new ContainerStore(state);
    manager = new ContainerManager({
      store, volumes: new VolumeStore(state), cgroups: detectCgroups(), starter: createStarter(sys(), bundles()),
      images: { resolve: async () => { throw new Error('not needed'); } },
      publish: () => undefined, host: { cpus: 1, hostname: 'h', memory: os.totalmem() },
    });
    await manager.adopt();
    const rec = store.get('survivor');
    pid = rec.state.pid;
    assert.equal(rec.state.status, 'running');
    assert.ok(pid > 0);
    const before = ticks(logFile);
    await sleep(600);
    assert.ok(ticks(logFile) > before + 2, `log kept growing (${before} → ${ticks(logFile)})`);
    assert.ok(manager.stats('survivor').pids_stats.current >= 1, 'cgroup still found');

    // PID 1 of the container ignores SIGTERM (no handler): stop waits, then SIGKILL.
    await manager.stop('survivor', { timeout: 1 });
    const after = store.get('survivor');
    assert.deepEqual([after.state.status, after.state.exitCode, after.state.pid], ['exited', 137, 0]);
    assert.equal(detectCgroups().exists(id), false);
    await manager.remove('survivor');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (pid) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    await manager?.detach();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
