import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuWrites, readCpuStats, sharesToWeight } from '../../../runtime/cgroups/controllers/cpu';
import { memoryWrites, readMemoryStats, readOomKills, swapToV2 } from '../../../runtime/cgroups/controllers/memory';
import { pidsWrites } from '../../../runtime/cgroups/controllers/pids';
import { freezeWrite, parseFreezerState } from '../../../runtime/cgroups/controllers/freezer';

const MiB = 1024 * 1024;

const memoryCases: Array<[string, 1 | 2, Parameters<typeof memoryWrites>[1], Array<[string, string]>]> = [
  ['v1 --memory 512m', 1, { limit: 512 * MiB }, [['memory.limit_in_bytes', String(512 * MiB)]]],
  ['v1 memory + swap (memsw after memory)', 1, { limit: 100, swap: 300 }, [['memory.limit_in_bytes', '100'], ['memory.memsw.limit_in_bytes', '300']]],
  ['v1 unlimited swap', 1, { limit: 100, swap: -1 }, [['memory.limit_in_bytes', '100'], ['memory.memsw.limit_in_bytes', '-1']]],
  ['v1 reservation', 1, { reservation: 50 }, [['memory.soft_limit_in_bytes', '50']]],
  ['v2 --memory', 2, { limit: 512 * MiB }, [['memory.max', String(512 * MiB)]]],
  ['v2 swap is memsw minus memory', 2, { limit: 100, swap: 300 }, [['memory.max', '100'], ['memory.swap.max', '200']]],
  ['v2 unlimited swap', 2, { limit: 100, swap: -1 }, [['memory.max', '100'], ['memory.swap.max', 'max']]],
  ['v2 reservation is memory.low', 2, { reservation: 50 }, [['memory.low', '50']]],
  ['nothing set', 2, {}, []],
];
for (const [name, version, res, want] of memoryCases) {
  test(`memory writes: ${name}`, () => {
    assert.deepEqual(memoryWrites(version, res).map((w) => [w.file, w.value]), want);
  });
}

test('swap below memory, or swap without memory, is refused', () => {
  assert.throws(() => swapToV2(300, 100), /must be >= memory limit/);
  assert.throws(() => swapToV2(undefined, 100), /without a memory limit/);
});

const cpuCases: Array<[string, 1 | 2, Parameters<typeof cpuWrites>[1], Array<[string, string]>]> = [
  ['v1 --cpus 0.5', 1, { quota: 50000, period: 100000 }, [['cpu.cfs_period_us', '100000'], ['cpu.cfs_quota_us', '50000']]],
  ['v1 --cpu-shares 512', 1, { shares: 512 }, [['cpu.shares', '512']]],
  ['v2 --cpus 0.5', 2, { quota: 50000, period: 100000 }, [['cpu.max', '50000 100000']]],
  ['v2 period only', 2, { period: 200000 }, [['cpu.max', 'max 200000']]],
  ['v2 quota with default period', 2, { quota: 20000 }, [['cpu.max', '20000 100000']]],
  ['v2 shares 1024 → weight 100', 2, { shares: 1024 }, [['cpu.weight', '100']]],
];
for (const [name, version, res, want] of cpuCases) {
  test(`cpu writes: ${name}`, () => {
    assert.deepEqual(cpuWrites(version, res).map((w) => [w.file, w.value]), want);
  });
}

// Fixed points of runc's conversion curve, and its monotonicity.
const weights: Array<[number, number]> = [[0, 0], [1, 1], [2, 1], [1024, 100], [262144, 10000], [300000, 10000]];
for (const [shares, weight] of weights) {
  test(`sharesToWeight(${shares}) = ${weight}`, () => assert.equal(sharesToWeight(shares), weight));
}
test('sharesToWeight grows with shares and stays in [1, 10000]', () => {
  let last = 0;
  for (let s = 2; s <= 262144; s *= 2) {
    const w = sharesToWeight(s);
    assert.ok(w >= last && w >= 1 && w <= 10000, `shares ${s} → ${w}`);
    last = w;
  }
  assert.ok(sharesToWeight(512) < 100 && sharesToWeight(2048) > 100);
});

const pidsCases: Array<[number, string]> = [[100, '100'], [0, 'max'], [-1, 'max']];
for (const [limit, value] of pidsCases) {
  test(`pids writes: limit ${limit} → ${value}`, () => assert.deepEqual(pidsWrites({ limit }), [{ file: 'pids.max', value }]));
}

test('freezer writes and states per version', () => {
  assert.deepEqual(freezeWrite(1, true), { file: 'freezer.state', value: 'FROZEN' });
  assert.deepEqual(freezeWrite(2, false), { file: 'cgroup.freeze', value: '0' });
  assert.equal(parseFreezerState(1, 'FREEZING\n'), 'freezing');
  assert.equal(parseFreezerState(1, 'FROZEN\n'), 'frozen');
  assert.equal(parseFreezerState(2, 'populated 1\nfrozen 1\n'), 'frozen');
  assert.equal(parseFreezerState(2, 'populated 1\nfrozen 0\n'), 'thawed');
});

test('memory stats: v1 unlimited reads as undefined, v2 "max" too', () => {
  const v1 = readMemoryStats(1, (f) => ({ 'memory.usage_in_bytes': '4096\n', 'memory.limit_in_bytes': '9223372036854771712\n', 'memory.stat': 'cache 12\ntotal_inactive_file 8\n' })[f]);
  assert.deepEqual(v1, { usage: 4096, maxUsage: undefined, limit: undefined, stats: { cache: 12, total_inactive_file: 8 } });
  const v2 = readMemoryStats(2, (f) => ({ 'memory.current': '100', 'memory.max': 'max', 'memory.peak': '200' })[f]);
  assert.equal(v2.limit, undefined);
  assert.equal(v2.maxUsage, 200);
});

test('OOM kill count from memory.oom_control (v1) and memory.events (v2)', () => {
  assert.equal(readOomKills(1, () => 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n'), 2);
  assert.equal(readOomKills(2, () => 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n'), 1);
  assert.equal(readOomKills(2, () => undefined), 0);
});

test('cpu stats: v1 reads cpuacct in ns and ticks, v2 reads cpu.stat in µs', () => {
  const v1 = readCpuStats(1, (f) => (f === 'cpu.stat' ? 'nr_periods 4\nnr_throttled 1\nthrottled_time 500\n' : undefined),
    (f) => ({ 'cpuacct.usage': '123456789\n', 'cpuacct.stat': 'user 3\nsystem 2\n' })[f]);
  assert.deepEqual(v1, { totalNs: 123456789, userNs: 30_000_000, systemNs: 20_000_000, throttling: { periods: 4, throttledPeriods: 1, throttledTimeNs: 500 } });
  const v2 = readCpuStats(2, () => 'usage_usec 10\nuser_usec 6\nsystem_usec 4\nnr_periods 2\nnr_throttled 1\nthrottled_usec 3\n');
  assert.deepEqual(v2, { totalNs: 10000, userNs: 6000, systemNs: 4000, throttling: { periods: 2, throttledPeriods: 1, throttledTimeNs: 3000 } });
});
