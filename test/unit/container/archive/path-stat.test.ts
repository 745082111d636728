// The pure rules of docker cp on the service side: Go's FileMode bits in the stat header,
// moby's path split (last component followed only after "/" or "/."), rebase names, and the
// header's base64 JSON both ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  archiveWriteRefusal, decodePathStat, encodePathStat, fileNotFoundMessage, GO_MODE, goBase, isGoDir, kernelMountPoints, pathStat, rebaseName, splitContainerPath, toGoFileMode,
} from '../../../../runtime/container/archive/path-stat';

test('st_mode → Go os.FileMode: type bits, permission bits, setuid/setgid/sticky', () => {
  const cases: Array<[string, number, number]> = [
    ['regular 0644', 0o100644, 0o644],
    ['directory 0755', 0o040755, GO_MODE.dir + 0o755],
    ['symlink 0777', 0o120777, GO_MODE.symlink + 0o777],
    ['char device 0666', 0o020666, GO_MODE.device + GO_MODE.charDevice + 0o666],
    ['block device 0660', 0o060660, GO_MODE.device + 0o660],
    ['fifo 0600', 0o010600, GO_MODE.namedPipe + 0o600],
    ['socket 0755', 0o140755, GO_MODE.socket + 0o755],
    ['setuid 4755', 0o104755, GO_MODE.setuid + 0o755],
    ['sticky dir 1777', 0o041777, GO_MODE.dir + GO_MODE.sticky + 0o777],
    ['setgid dir 2775', 0o042775, GO_MODE.dir + GO_MODE.setgid + 0o775],
  ];
  for (const [what, unix, go] of cases) assert.equal(toGoFileMode(unix), go, what);
  assert.equal(isGoDir(toGoFileMode(0o040700)), true);
  assert.equal(isGoDir(toGoFileMode(0o100700)), false);
  // What Go itself prints for a directory 0755: 2147484141.
  assert.equal(toGoFileMode(0o040755), 2147484141);
});

test('goBase matches Go filepath.Base', () => {
  const cases: Array<[string, string]> = [['', '.'], ['/', '/'], ['///', '/'], ['/etc', 'etc'], ['/etc/', 'etc'], ['/etc/.', '.'], ['a/b//', 'b'], ['x', 'x']];
  for (const [input, want] of cases) assert.equal(goBase(input), want, JSON.stringify(input));
});

test('splitContainerPath: relative paths are from /, the last component is followed only after "/" or "/."', () => {
  const cases: Array<[string, { absPath: string; dir: string; base: string; followFinal: boolean }]> = [
    ['/etc/passwd', { absPath: '/etc/passwd', dir: '/etc', base: 'passwd', followFinal: false }],
    ['etc/passwd', { absPath: '/etc/passwd', dir: '/etc', base: 'passwd', followFinal: false }],
    ['//etc//link', { absPath: '/etc/link', dir: '/etc', base: 'link', followFinal: false }],
    ['/link/', { absPath: '/link/', dir: '/link', base: '', followFinal: true }],
    ['/link/.', { absPath: '/link/.', dir: '/link', base: '.', followFinal: true }],
    ['/', { absPath: '/', dir: '/', base: '', followFinal: true }],
    ['/a/..', { absPath: '/a/..', dir: '/a', base: '..', followFinal: true }],
    ['top', { absPath: '/top', dir: '/', base: 'top', followFinal: false }],
  ];
  for (const [input, want] of cases) assert.deepEqual(splitContainerPath(input), want, input);
  assert.throws(() => splitContainerPath(''), /path cannot be empty/);
  assert.throws(() => splitContainerPath(undefined), /path cannot be empty/);
  assert.throws(() => splitContainerPath('/a\0b'), /NUL byte/);
});

test('rebaseName: the base name, "." for the contents of a directory and for /', () => {
  const cases: Array<[string, string]> = [['/etc', 'etc'], ['/etc/', 'etc'], ['/etc/.', '.'], ['/', '.'], ['/srv/app/hello', 'hello']];
  for (const [input, want] of cases) assert.equal(rebaseName(input), want, input);
});

test('the stat header is base64 JSON with dockerd\'s field names, and decodes back', () => {
  const stat = pathStat('/srv/app/', { mode: 0o040750, size: 4096, mtimeMs: Date.UTC(2026, 0, 2, 3, 4, 5, 600) }, '');
  assert.deepEqual(stat, { name: 'app', size: 4096, mode: GO_MODE.dir + 0o750, mtime: '2026-01-02T03:04:05.600Z', linkTarget: '' });
  const header = encodePathStat(stat);
  assert.deepEqual(Object.keys(JSON.parse(Buffer.from(header, 'base64').toString())), ['name', 'size', 'mode', 'mtime', 'linkTarget']);
  assert.deepEqual(decodePathStat(header), stat);
  assert.throws(() => decodePathStat(undefined), /no X-Docker-Container-Path-Stat header/);
  assert.throws(() => decodePathStat('not json!'), /unable to decode/);
});

test('the 404 message is dockerd\'s', () => {
  assert.equal(fileNotFoundMessage('/nope', 'web'), 'Could not find the file /nope in container web');
});

test('kernelMountPoints: a container\'s proc, sys, dev and their children, never its rootfs, binds or volumes', () => {
  const mountinfo = [
    '600 500 0:50 / / rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w',
    '601 600 0:51 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw',
    '602 600 0:52 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755',
    '603 602 0:53 / /dev/pts rw,nosuid,noexec,relatime - devpts devpts rw,gid=5,mode=620,ptmxmode=666',
    '604 602 0:54 / /dev/mqueue rw,nosuid,nodev,noexec,relatime - mqueue mqueue rw',
    '605 600 0:55 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro',
    '606 605 0:56 / /sys/fs/cgroup ro - cgroup2 cgroup2 rw',
    '607 600 8:1 /data /my\\040data rw,relatime - ext4 /dev/sda1 rw',
    '608 600 0:57 / /run rw - tmpfs tmpfs rw',
    '609 601 0:5 /null /proc/kcore rw,nosuid - devtmpfs udev rw',
    '',
  ].join('\n');
  assert.deepEqual(kernelMountPoints(mountinfo), ['/dev', '/dev/mqueue', '/dev/pts', '/proc', '/proc/kcore', '/sys', '/sys/fs/cgroup']);
});

test('archiveWriteRefusal: moby\'s read-only volume and read-only rootfs checks', () => {
  const mounts = [{ Destination: '/data', RW: true }, { Destination: '/conf/', RW: false }, { Destination: '/data/ro', RW: false }];
  const cases: Array<[string, boolean, string | undefined]> = [
    ['/data', true, undefined],
    ['/data/sub/', true, undefined],
    ['/data/ro/x', false, 'mounted volume is marked read-only'],
    ['/conf', false, 'mounted volume is marked read-only'],
    ['/conf/./a', false, 'mounted volume is marked read-only'],
    ['/configuration', true, 'container rootfs is marked read-only'],
    ['/tmp', true, 'container rootfs is marked read-only'],
    ['/tmp', false, undefined],
    ['/', false, undefined],
  ];
  for (const [p, readonlyRootfs, want] of cases) assert.equal(archiveWriteRefusal(p, mounts, readonlyRootfs), want, `${p} ro=${readonlyRootfs}`);
});
