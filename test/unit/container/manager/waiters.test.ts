import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Waiters, type WaitCondition } from '../../../../runtime/container/manager-waiters';
import { restartDelayMs } from '../../../../runtime/container/manager-restart';
import { newState } from '../../../../runtime/container/state';

const cases: Array<{ waiting: WaitCondition[]; wake: WaitCondition[]; woken: WaitCondition[] }> = [
  { waiting: ['not-running', 'next-exit', 'removed'], wake: ['not-running', 'next-exit'], woken: ['not-running', 'next-exit'] },
  { waiting: ['not-running', 'removed'], wake: ['not-running', 'next-exit', 'removed'], woken: ['not-running', 'removed'] },
  { waiting: ['removed'], wake: ['not-running'], woken: [] },
];

for (const c of cases) {
  test(`waiters: wake(${c.wake.join(',')}) resolves exactly ${c.woken.join(',') || 'none'}`, async () => {
    const w = new Waiters();
    const woken: WaitCondition[] = [];
    const state = { ...newState(), exitCode: 7 };
    const pending = c.waiting.map((cond) => w.next('ctr', cond).then((st) => { woken.push(cond); assert.equal(st.exitCode, 7); }));
    w.wake('other', c.waiting, state); // another container's exit wakes nobody here
    w.wake('ctr', c.wake, state);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(woken.sort(), [...c.woken].sort());
    // The rest are still registered: a later wake of everything resolves them.
    w.wake('ctr', ['not-running', 'next-exit', 'removed'], state);
    await Promise.all(pending);
    assert.equal(woken.length, c.waiting.length);
  });
}

test('waiters: exitWithin is true on a wake before the time-out, false after it', async () => {
  const w = new Waiters();
  const early = w.exitWithin('a', 5_000);
  w.wake('a', ['not-running'], newState());
  assert.equal(await early, true);
  assert.equal(await w.exitWithin('b', 20), false);
});

test('restart back-off doubles from 100 ms and stops at a minute', () => {
  assert.deepEqual([0, 1, 2, 5, 9, 10, 30].map(restartDelayMs), [100, 200, 400, 3200, 51_200, 60_000, 60_000]);
});
