// A service restart: a new manager over the same state dir finds a record "running".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness } from './harness';

test('re-adoption: a dead process is recorded as exit 255; a live one is watched and stop works', async () => {
  const first = makeHarness();
  try {
    await first.store.load();
    const dead = (await first.manager.create({ Image: 'busybox' }, { name: 'dead' })).Id;
    const alive = (await first.manager.create({ Image: 'busybox' }, { name: 'alive' })).Id;
    await first.manager.start('dead');
    await first.manager.start('alive');
    // The service is killed: nothing more is recorded by the first manager.
    const pids = { dead: first.started[0].pid, alive: first.started[1].pid };

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
