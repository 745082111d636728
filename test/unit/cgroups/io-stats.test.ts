// BLOCK I/O and NET I/O for docker stats: blkio (v1) / io.stat (v2) and /proc/<pid>/net/dev
// parsed into docker's JSON (blkio_stats.io_service_bytes_recursive, networks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNetDev, toDockerStats, type CgroupStats } from '../../../runtime/cgroups';
import { parseBlkioV1, parseIoStatV2, readBlkioStats } from '../../../runtime/cgroups/controllers/blkio';

const V1 = '8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 12288\n8:0 Async 0\n8:0 Discard 0\n8:0 Total 12288\nTotal 12288\n';
const V2 = '8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n253:1 rbytes=100 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n';

test('blkio v1: device lines kept with the kernel\'s op names, the summary line skipped', () => {
  const e = parseBlkioV1(V1);
  assert.equal(e.length, 6);
  assert.deepEqual(e[0], { major: 8, minor: 0, op: 'Read', value: 4096 });
  assert.deepEqual(e[1], { major: 8, minor: 0, op: 'Write', value: 8192 });
  assert.deepEqual(parseBlkioV1(undefined), []);
});

test('io.stat v2: rbytes/wbytes become read/write entries per device', () => {
  assert.deepEqual(parseIoStatV2(V2), [
    { major: 8, minor: 0, op: 'read', value: 4096 }, { major: 8, minor: 0, op: 'write', value: 8192 },
    { major: 253, minor: 1, op: 'read', value: 100 }, { major: 253, minor: 1, op: 'write', value: 0 },
  ]);
});

const fallbacks: Array<[string, Record<string, string>, number]> = [
  ['CFQ file first', { 'blkio.io_service_bytes_recursive': '8:0 Read 1\n', 'blkio.throttle.io_service_bytes_recursive': '8:0 Read 9\n' }, 1],
  ['empty CFQ file: BFQ', { 'blkio.io_service_bytes_recursive': 'Total 0\n', 'blkio.bfq.io_service_bytes_recursive': '8:0 Read 5\n' }, 5],
  ['only throttle', { 'blkio.throttle.io_service_bytes_recursive': '8:0 Read 9\n' }, 9],
];
for (const [name, files, want] of fallbacks) {
  test(`readBlkioStats v1: ${name}`, () => assert.equal(readBlkioStats(1, (f) => files[f])[0].value, want));
}
test('readBlkioStats: no controller, no entries', () => assert.deepEqual(readBlkioStats(2, () => undefined), []));

const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:     500       5    0    0    0     0          0         0      500       5    0    0    0     0       0          0
  eth0: 1234567      10    1    2    0     0          0         0    89012       8    3    4    0     0       0          0
`;

test('net/dev: interfaces but loopback, docker field names', () => {
  assert.deepEqual(parseNetDev(NET_DEV), {
    eth0: { rx_bytes: 1234567, rx_packets: 10, rx_errors: 1, rx_dropped: 2, tx_bytes: 89012, tx_packets: 8, tx_errors: 3, tx_dropped: 4 },
  });
  assert.deepEqual(parseNetDev(NET_DEV.split('\n').filter((l) => !l.includes('eth0')).join('\n')), {});
});

const stats = (blkio?: CgroupStats['blkio']): CgroupStats => ({
  memory: { usage: 0, limit: 1, stats: {} },
  cpu: { totalNs: 0, userNs: 0, systemNs: 0, throttling: { periods: 0, throttledPeriods: 0, throttledTimeNs: 0 } },
  pids: { current: 1, limit: undefined },
  blkio,
});
const host = { systemCpuNs: 1, onlineCpus: 1, hostMemory: 2, time: new Date(0) };

test('toDockerStats: blkio entries and networks when there are some, null/absent when not', () => {
  const withIo = toDockerStats({ id: 'a', name: 'a' }, { stats: stats(parseBlkioV1(V1)), host, networks: parseNetDev(NET_DEV) });
  assert.equal(withIo.blkio_stats.io_service_bytes_recursive?.length, 6);
  assert.equal(withIo.networks?.eth0.rx_bytes, 1234567);
  const without = toDockerStats({ id: 'a', name: 'a' }, { stats: stats([]), host, networks: {} });
  assert.equal(without.blkio_stats.io_service_bytes_recursive, null);
  assert.equal('networks' in without, false);
});
