import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MS, capabilityMask, makedev, parseMountOptions, syscallNumbers } from '../../../runtime/linux/constants';
import { SyscallError, errnoName, formatArg, isErrno } from '../../../runtime/linux/syscalls';

const mountCases: Array<[string, string[], { flags: number; propagation: number; data: string[] }]> = [
  ['proc defaults', ['nosuid', 'noexec', 'nodev'], { flags: MS.NOSUID | MS.NOEXEC | MS.NODEV, propagation: 0, data: [] }],
  ['tmpfs data kept in order', ['nosuid', 'strictatime', 'mode=755', 'size=65536k'], { flags: MS.NOSUID | MS.STRICTATIME, propagation: 0, data: ['mode=755', 'size=65536k'] }],
  ['rbind ro', ['rbind', 'ro'], { flags: MS.BIND | MS.REC | MS.RDONLY, propagation: 0, data: [] }],
  ['rw clears an earlier ro', ['ro', 'rw'], { flags: 0, propagation: 0, data: [] }],
  ['propagation is separate', ['bind', 'rslave'], { flags: MS.BIND, propagation: MS.SLAVE | MS.REC, data: [] }],
  ['devpts', ['newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'], { flags: 0, propagation: 0, data: ['newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] }],
];
for (const [name, options, expected] of mountCases) {
  test(`parseMountOptions: ${name}`, () => assert.deepEqual(parseMountOptions(options), expected));
}

const DOCKER_DEFAULT = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE'];
const capCases: Array<[string, string[], [number, number]]> = [
  ['empty', [], [0, 0]],
  ['Docker default is 0xa80425fb (as /proc/PID/status shows it)', DOCKER_DEFAULT, [0xa80425fb, 0]],
  ['names without CAP_ and in lower case', ['chown', 'net_admin'], [(1 << 0) | (1 << 12), 0]],
  ['high word', ['CAP_SYSLOG', 'CAP_CHECKPOINT_RESTORE'], [0, (1 << 2) | (1 << 8)]],
];
for (const [name, names, mask] of capCases) {
  test(`capabilityMask: ${name}`, () => assert.deepEqual(capabilityMask(names), mask));
}
test('capabilityMask names an unknown capability', () => {
  assert.throws(() => capabilityMask(['CAP_FLY']), /unknown capability "CAP_FLY"/);
});

const devCases: Array<[number, number, bigint]> = [[1, 3, 0x103n], [5, 0, 0x500n], [136, 2, 0x8802n], [4096, 256, (4096n << 32n) | (256n << 12n)]];
for (const [major, minor, dev] of devCases) test(`makedev(${major}, ${minor})`, () => assert.equal(makedev(major, minor), dev));

test('syscall numbers per architecture; others are named', () => {
  assert.equal(syscallNumbers('x64').pivot_root, 155);
  assert.equal(syscallNumbers('arm64').pivot_root, 41);
  assert.equal(syscallNumbers('x64').setresuid, 117);
  assert.throws(() => syscallNumbers('mips'), /unsupported architecture for the linux layer: mips/);
});

test('SyscallError names the call, its arguments and the errno', () => {
  const err = new SyscallError('mount', ['overlay', '/x', 'overlay', MS.BIND | MS.REC, null], 22);
  assert.equal(err.message, 'mount("overlay", "/x", "overlay", 0x5000, null) failed: EINVAL');
  assert.equal(err.code, 'EINVAL');
  assert.ok(isErrno(err, 'EPERM', 'EINVAL'));
  assert.equal(errnoName(1), 'EPERM');
  assert.equal(errnoName(99999), 'errno 99999');
});

test('SyscallError shows record, bigint and buffer arguments readably', () => {
  const sets = { effective: [0xa80425fb, 0x1ff], permitted: [0xa80425fb, 0x1ff], inheritable: [0, 0] };
  assert.equal(
    new SyscallError('capset', [sets], 1).message,
    'capset({effective: [0xa80425fb, 0x1ff], permitted: [0xa80425fb, 0x1ff], inheritable: [0, 0]}) failed: EPERM',
  );
  const table: Array<[unknown, string]> = [[2n ** 40n, '0x10000000000'], [Buffer.alloc(3), '<3 bytes>'], [new Uint32Array(6), '<24 bytes>'], [{}, '{}'], [undefined, 'undefined'], [{ a: null, b: 'x' }, '{a: null, b: "x"}']];
  for (const [arg, shown] of table) assert.equal(formatArg(arg), shown);
});
