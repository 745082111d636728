// The idle pool: made on the first job, kept while jobs come, released after the idle time
// (ending its Workers, reaping the inits of the threads that went, trimming malloc), made again
// for the next job. And which children count as orphans of the threads that went.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { WorkerPool } from '../../../../runtime/container/start/session';
import { RecordingSyscalls } from '../../../../runtime/linux/fake';
import { orphanedChildren, reap, viewProcess, type ProcessView } from '../../../../runtime/service/parts/orphans';
import { IdlePool } from '../../../../runtime/service/parts/pool';
import { collectAllGarbage } from '../../../../runtime/service/memory';

const view = (threads: Array<[number, string]>, children: Array<[number, string]>): ProcessView => ({ threads: new Map(threads), children: new Map(children) });
const OWN = 'pid:[1]';

const cases: Array<{ name: string; before: ProcessView; after: number[]; orphans: number[] }> = [
  { name: 'the init of a pre-warmed Worker that went', before: view([[10, OWN], [11, 'pid:[7]'], [12, OWN]], [[500, 'pid:[7]']]), after: [10, 12], orphans: [500] },
  { name: 'a live Worker\'s container is not touched', before: view([[10, OWN], [11, 'pid:[7]'], [13, 'pid:[8]']], [[500, 'pid:[7]'], [600, 'pid:[8]']]), after: [10, 13], orphans: [500] },
  { name: 'children in our own namespace (the main thread\'s, a plain Worker\'s) never', before: view([[10, OWN], [12, OWN]], [[700, OWN]]), after: [10], orphans: [] },
  { name: 'a namespace a live thread still holds is not orphaned', before: view([[10, OWN], [11, 'pid:[7]'], [14, 'pid:[7]']], [[500, 'pid:[7]']]), after: [10, 14], orphans: [] },
  { name: 'nothing went', before: view([[10, OWN], [11, 'pid:[7]']], [[500, 'pid:[7]']]), after: [10, 11], orphans: [] },
];
for (const c of cases) {
  test(`orphaned children: ${c.name}`, () => {
    assert.deepEqual(orphanedChildren(c.before, new Set(c.after), OWN), c.orphans);
  });
}

test('viewProcess sees this process\'s main thread and a child it spawned', async (t) => {
  const child = spawn('sleep', ['5']);
  t.after(() => child.kill('SIGKILL'));
  await new Promise((r) => child.once('spawn', r));
  const v = viewProcess();
  assert.ok(v.threads.get(process.pid)?.startsWith('pid:['), 'the main thread and its pid namespace');
  assert.equal(v.children.get(child.pid!), v.threads.get(process.pid), 'the child, in our pid namespace');
});

test('reap gives up after its time on a process that does not exit, and closes its pidfds', async () => {
  const sys = new RecordingSyscalls();
  sys.waitPidfd = () => undefined; // still running
  assert.equal(await reap(sys, [4242], 60), false);
  assert.deepEqual(sys.named('close').length, 1);
});

function fakePools() {
  const made: Array<{ closed: number }> = [];
  const make = () => {
    const p = { closed: 0, close: async () => { p.closed++; } };
    made.push(p);
    return p as unknown as WorkerPool;
  };
  return { made, make };
}

test('idle pool: one pool while jobs come, released after the idle time, made again for the next job', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { made, make } = fakePools();
  const sys = new RecordingSyscalls();
  const order: string[] = [];
  const pool = new IdlePool(make, sys, { idleMs: 1000, collectGarbage: () => order.push(`gc after ${sys.named('mallocTrim').length} trims`) });
  assert.equal(pool.holding, false, 'nothing before the first job');
  const first = pool.get();
  t.mock.timers.tick(600);
  assert.equal(pool.get(), first, 'a job within the idle time gets the same pool');
  t.mock.timers.tick(600);
  assert.equal(pool.holding, true, 'the second job restarted the idle clock');
  t.mock.timers.tick(400);
  await pool.released;
  assert.deepEqual([pool.holding, made.length, made[0].closed], [false, 1, 1]);
  assert.equal(sys.named('mallocTrim').length, 1, 'malloc arenas trimmed after the release');
  assert.deepEqual(order, ['gc after 0 trims'], 'V8 gives its pages back first, then malloc');
  const again = pool.get();
  assert.notEqual(again, first);
  assert.equal(made.length, 2);
  await pool.close();
  assert.deepEqual([made[1].closed, pool.get()], [1, undefined], 'closed for good');
});

test('collectAllGarbage collects the garbage of this process at once', () => {
  const holder: { junk?: unknown[] } = { junk: Array.from({ length: 200_000 }, (_, i) => ({ i, s: `item ${i}` })) };
  const withJunk = process.memoryUsage().heapUsed;
  assert.equal(holder.junk?.length, 200_000);
  holder.junk = undefined;
  collectAllGarbage();
  const after = process.memoryUsage().heapUsed;
  assert.ok(withJunk - after > 4 * 1024 * 1024, `freed ${((withJunk - after) / 1048576).toFixed(1)} MB`);
});
