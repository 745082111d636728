// A service restart: a new manager over the same state dir finds a record "running".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { makeHarness } from './harness';

test('re-adoption: a dead process is recorded as exit 255; a live one is watched and stop works', async () => {
  const first = makeHarness();
  try {
    await first.store.load();
    const dead = (await first.manager.create({ Image: 'busybox' }, { name: 'dead' })).Id;
    const alive = (await first.manager.create({ Image: 'busybox' }, { name: 'alive' })).Id;
    await first.manager.start('dead');
    await first.manager.start('alive');
    // The service is killed: nothing more is recorded by the first manager (whose followers
    // and watchers end here, as they would with its process).
    const pids = { dead: first.started[0].pid, alive: first.started[1].pid };
    await first.manager.detach();

    let aliveStart: number | undefined = 42;
    const signals: string[] = [];
    const second = makeHarness({
      root: first.root,
      startTimeOf: (pid) => (pid === pids.alive ? aliveStart : undefined),
      signal: (pid, s) => {
        signals.push(`${pid}:${s}`);
        if (s === 'SIGTERM') aliveStart = undefined; // the process dies of it
      },
    });
    await second.manager.adopt();
    const d = second.store.get(dead);
    assert.deepEqual([d.state.status, d.state.exitCode, d.state.oomKilled], ['exited', 255, false]);
    assert.equal(second.store.get(alive).state.status, 'running');
    assert.deepEqual(second.events.map((e) => `${e.action}:${e.id === dead ? 'dead' : 'alive'}`), ['die:dead']);

    await second.manager.stop('alive', { timeout: 5 });
    assert.deepEqual(signals, [`${pids.alive}:SIGTERM`]);
    const a = second.store.get(alive);
    assert.deepEqual([a.state.status, a.state.exitCode], ['exited', 143]);
    assert.deepEqual(second.errors, []);
  } finally {
    first.cleanup();
  }
});

test('--rm: the exit is not written before the removal; a service gone in between leaves a running record that re-adoption removes', async () => {
  const first = makeHarness();
  try {
    await first.store.load();
    const { Id } = await first.manager.create({ Image: 'busybox', HostConfig: { AutoRemove: true } }, { name: 'brief' });
    await first.manager.start(Id);
    const file = `${first.store.containerDir(Id)}/config.v2.json`;
    const statuses: string[] = [];
    // What the disk says at each update (the store writes synchronously).
    first.events.length = 0;
    const removed = first.manager.wait(Id, 'removed');
    const watcher = setInterval(() => { try { statuses.push(JSON.parse(fs.readFileSync(file, 'utf8')).state.status); } catch { /* gone */ } }, 0);
    first.started[0].exit(0);
    await removed;
    clearInterval(watcher);
    assert.ok(!statuses.includes('exited') && !statuses.includes('removing'), `on disk: ${statuses.join(',')}`);

    // The same moment with a crash instead: the record on disk says running, the pid is dead.
    const second = makeHarness();
    await second.store.load();
    const { Id: id2 } = await second.manager.create({ Image: 'busybox', HostConfig: { AutoRemove: true } }, { name: 'orphan' });
    await second.manager.start(id2);
    await second.manager.detach(); // the service is gone before the exit is recorded
    const third = makeHarness({ root: second.root, startTimeOf: () => undefined });
    await third.manager.adopt();
    for (let i = 0; i < 100 && third.store.find(id2); i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(third.store.find(id2), undefined, 're-adoption recorded the exit and removed the --rm container');
    assert.deepEqual(third.events.map((e) => e.action), ['die', 'destroy']);
    await third.manager.detach();
    second.cleanup();
  } finally {
    first.cleanup();
  }
});
