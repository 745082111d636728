import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toDockerStats } from '../../../runtime/cgroups';
import { systemCpuNs } from '../../../runtime/cgroups/docker-stats';
import type { CgroupStats } from '../../../runtime/cgroups';

const stats = (cpuNs: number, limit?: number): CgroupStats => ({
  memory: { usage: 1000, limit, stats: { inactive_file: 10 } },
  cpu: { totalNs: cpuNs, userNs: cpuNs / 2, systemNs: cpuNs / 2, throttling: { periods: 1, throttledPeriods: 0, throttledTimeNs: 0 } },
  pids: { current: 3, limit: 100 },
});
const host = (ns: number, t: number) => ({ systemCpuNs: ns, onlineCpus: 2, hostMemory: 8e9, time: new Date(t) });

test('docker stats shape: names, precpu from the previous sample, memory limit capped at host memory', () => {
  const s = toDockerStats({ id: 'abc', name: 'web' }, { stats: stats(200, undefined), host: host(2000, 2000) }, { stats: stats(100), host: host(1000, 1000) });
  assert.equal(s.name, '/web');
  assert.equal(s.read, new Date(2000).toISOString());
  assert.equal(s.preread, new Date(1000).toISOString());
  assert.equal(s.cpu_stats.cpu_usage.total_usage, 200);
  assert.equal((s.precpu_stats as typeof s.cpu_stats).cpu_usage.total_usage, 100);
  assert.equal(s.memory_stats.limit, 8e9);
  assert.deepEqual(s.pids_stats, { current: 3, limit: 100 });
  // docker CLI's CPU %: Δcpu/Δsystem × cpus × 100 = 100/1000 × 2 × 100 = 20.
  const pre = s.precpu_stats as typeof s.cpu_stats;
  const pct = ((s.cpu_stats.cpu_usage.total_usage - pre.cpu_usage.total_usage) / (s.cpu_stats.system_cpu_usage - pre.system_cpu_usage)) * s.cpu_stats.online_cpus * 100;
  assert.equal(pct, 20);
});

test('first sample has empty precpu_stats and a zero preread', () => {
  const s = toDockerStats({ id: 'abc', name: '/web' }, { stats: stats(1, 500), host: host(1, 0) });
  assert.deepEqual(s.precpu_stats, {});
  assert.equal(s.preread, '0001-01-01T00:00:00Z');
  assert.equal(s.memory_stats.limit, 500);
});

test('systemCpuNs sums the first seven fields of the cpu line', () => {
  assert.equal(systemCpuNs('cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 1 1 1 1 1 1\n'), 28 * 1e7);
  assert.throws(() => systemCpuNs('intr 1'), /no "cpu" line/);
});
