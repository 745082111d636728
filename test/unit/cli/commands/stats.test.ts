// `slipway stats` rows as docker stats prints them: binary MEM USAGE, decimal NET I/O and BLOCK I/O.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ioTotals, memUsageNoCache, statsRow } from '../../../../runtime/cli/commands/stats';

const sample = {
  name: '/web', id: 'f'.repeat(64),
  cpu_stats: { cpu_usage: { total_usage: 300 }, system_cpu_usage: 2000, online_cpus: 2 },
  precpu_stats: { cpu_usage: { total_usage: 100 }, system_cpu_usage: 1000 },
  memory_stats: { usage: 5 * 1024 * 1024 + 4096, limit: 1024 ** 3, stats: { inactive_file: 4096 } },
  pids_stats: { current: 4 },
  networks: { eth0: { rx_bytes: 1_234_567, tx_bytes: 890 }, eth1: { rx_bytes: 1000, tx_bytes: 110 } },
  blkio_stats: { io_service_bytes_recursive: [
    { op: 'Read', value: 4_000_000 }, { op: 'Write', value: 12_300 }, { op: 'Total', value: 4_012_300 }, { op: 'read', value: 210_000 },
  ] },
};

test('stats row: the docker CLI columns', () => {
  assert.deepEqual(statsRow(sample), {
    ID: 'ffffffffffff', Name: 'web', CPUPerc: '40.00%', MemUsage: '5MiB / 1GiB', MemPerc: '0.49%',
    NetIO: '1.24MB / 1kB', BlockIO: '4.21MB / 12.3kB', PIDs: '4',
  });
});

const totals: Array<[string, Parameters<typeof ioTotals>[0], ReturnType<typeof ioTotals>]> = [
  ['nothing reported (none/host network, no blkio)', {}, { rx: 0, tx: 0, read: 0, write: 0 }],
  ['null blkio list', { blkio_stats: { io_service_bytes_recursive: null } }, { rx: 0, tx: 0, read: 0, write: 0 }],
  ['ops case-insensitive, Sync/Total ignored', { blkio_stats: { io_service_bytes_recursive: [{ op: 'WRITE', value: 2 }, { op: 'Sync', value: 9 }, { op: 'write', value: 3 }] } }, { rx: 0, tx: 0, read: 0, write: 5 }],
];
for (const [name, s, want] of totals) test(`stats io totals: ${name}`, () => assert.deepEqual(ioTotals(s), want));

const mem: Array<[string, Parameters<typeof memUsageNoCache>[0], number]> = [
  ['v2: usage - inactive_file', { usage: 1000, stats: { inactive_file: 300 } }, 700],
  ['v1: the hierarchical total_inactive_file wins', { usage: 1000, stats: { inactive_file: 100, total_inactive_file: 400 } }, 600],
  ['v1 total not below usage: falls to inactive_file', { usage: 1000, stats: { inactive_file: 100, total_inactive_file: 1000 } }, 900],
  ['cache larger than usage: usage as is', { usage: 50, stats: { inactive_file: 80 } }, 50],
  ['no stats', {}, 0],
];
for (const [name, m, want] of mem) test(`stats memory without cache: ${name}`, () => assert.equal(memUsageNoCache(m), want));
