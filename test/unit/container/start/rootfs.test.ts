// The mount sequence a spec produces, recorded by the fake Syscalls on a temp-dir rootfs.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MNT, MS } from '../../../../runtime/linux/constants';
import { RecordingSyscalls } from '../../../../runtime/linux/fake';
import { PAGE_SIZE, cgroupV1Hierarchies, overlayData, prepareRootfs } from '../../../../runtime/container/start/rootfs';
import { StepError } from '../../../../runtime/container/start/steps';
import type { RuntimeSpec } from '../../../../runtime/container/spec';
import { DOCKER_DEFAULT_MOUNTS, DOCKER_MASKED_PATHS, DOCKER_READONLY_PATHS } from '../../../helpers/rootfs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-rootfs-unit-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function setup(edit?: (s: RuntimeSpec) => void): { root: string; spec: RuntimeSpec } {
  const root = fs.mkdtempSync(path.join(tmp, 'r-'));
  // What a kernel would show under the fresh /proc and /sys, for the masks to find.
  fs.mkdirSync(path.join(root, 'proc/sys'), { recursive: true });
  fs.writeFileSync(path.join(root, 'proc/kcore'), '');
  fs.mkdirSync(path.join(root, 'sys/firmware'), { recursive: true });
  const spec: RuntimeSpec = {
    ociVersion: '1.2.0',
    process: { args: ['sh'], env: [], cwd: '/work/dir', user: { uid: 0, gid: 0 } },
    root: { path: root },
    hostname: 'box',
    mounts: DOCKER_DEFAULT_MOUNTS.filter((m) => m.type !== 'cgroup'),
    linux: { namespaces: [{ type: 'mount' }], maskedPaths: DOCKER_MASKED_PATHS, readonlyPaths: DOCKER_READONLY_PATHS },
    slipway: { stdio: { terminal: true } },
  };
  edit?.(spec);
  return { root, spec };
}

test('mount sequence: private, bind root, spec mounts in order, masks, read-only, pivot', () => {
  const { root, spec } = setup();
  const sys = new RecordingSyscalls();
  prepareRootfs(sys, spec, { terminal: false });
  const mounts = sys.named('mount').map((c) => c.args);
  assert.deepEqual(mounts[0], [null, '/', null, MS.REC | MS.PRIVATE, null]);
  assert.deepEqual(mounts[1], [root, root, null, MS.BIND | MS.REC, null]);
  assert.deepEqual(mounts.slice(2, 8).map((m) => [m[2], m[1]]), [
    ['proc', `${root}/proc`], ['tmpfs', `${root}/dev`], ['devpts', `${root}/dev/pts`], ['sysfs', `${root}/sys`],
    ['mqueue', `${root}/dev/mqueue`], ['tmpfs', `${root}/dev/shm`],
  ]);
  assert.deepEqual(mounts[3], ['tmpfs', `${root}/dev`, 'tmpfs', MS.NOSUID | MS.STRICTATIME, 'mode=755,size=65536k']);
  // Masks: /dev/null over the file, a read-only tmpfs over the directory; absent paths skipped.
  assert.ok(mounts.some((m) => m[0] === '/dev/null' && m[1] === `${root}/proc/kcore` && m[3] === MS.BIND));
  assert.ok(mounts.some((m) => m[2] === 'tmpfs' && m[1] === `${root}/sys/firmware` && m[3] === MS.RDONLY));
  assert.ok(!mounts.some((m) => m[1] === `${root}/proc/keys`));
  // Read-only /proc/sys: a bind, then a read-only remount keeping nosuid,nodev,noexec.
  const sysRo = mounts.filter((m) => m[1] === `${root}/proc/sys`);
  assert.deepEqual(sysRo.map((m) => m[3]), [MS.BIND | MS.REC, MS.BIND | MS.REMOUNT | MS.RDONLY | MS.REC | MS.NOSUID | MS.NODEV | MS.NOEXEC]);
  // Then hostname, pivot_root(".", ".") from inside the root, and the old root detached.
  const tail = sys.calls.slice(sys.calls.findIndex((c) => c.call === 'sethostname'));
  assert.deepEqual(tail.map((c) => [c.call, ...c.args]), [
    ['sethostname', 'box'], ['chdir', root], ['pivotRoot', '.', '.'], ['umount2', '.', MNT.DETACH], ['chdir', '/'],
  ]);
  assert.ok(fs.statSync(path.join(root, 'work/dir')).isDirectory(), 'working directory created');
});

test('trace marks come after the steps they name, in the order of the set-up', () => {
  const { spec } = setup();
  const sys = new RecordingSyscalls();
  const marks: Array<[string, number]> = [];
  prepareRootfs(sys, spec, { terminal: false, mark: (label) => marks.push([label, sys.calls.length]) });
  assert.deepEqual(marks.map(([l]) => l), ['propagation, root', 'mounts', '/dev', 'sysctl, masked paths', 'read-only paths', 'hostname, cwd, pivot_root']);
  // Each mark sees the calls of its step already made: "mounts" after the last spec mount,
  // "read-only paths" after the remount of /proc/sys, the last one after the pivot.
  const at = (label: string) => marks.find(([l]) => l === label)![1];
  const index = (pred: (c: { call: string; args: unknown[] }) => boolean) => sys.calls.length - [...sys.calls].reverse().findIndex(pred);
  assert.equal(at('propagation, root'), 2);
  assert.equal(at('mounts'), index((c) => c.call === 'mount' && c.args[2] === 'tmpfs' && String(c.args[1]).endsWith('/dev/shm')));
  assert.equal(at('read-only paths'), index((c) => c.call === 'mount' && String(c.args[1]).endsWith('/proc/sys')));
  assert.equal(at('hostname, cwd, pivot_root'), sys.calls.length);
});

test('a working directory that is a file: Docker\'s words with the container\'s path, no host path', () => {
  const { root, spec } = setup((s) => { s.process.cwd = '/etc/passwd'; });
  fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\n');
  assert.throws(() => prepareRootfs(new RecordingSyscalls(), spec, { terminal: false }), (err: unknown) => {
    assert.ok(err instanceof StepError);
    assert.match(err.message, /Cannot mkdir: \/etc\/passwd is not a directory/);
    assert.ok(!err.message.includes(root), err.message);
    return true;
  });
});

test('/dev: the six default nodes, links, and no console without a terminal', () => {
  const { root, spec } = setup();
  const sys = new RecordingSyscalls();
  prepareRootfs(sys, spec, { terminal: false });
  assert.deepEqual(sys.named('mknod').map((c) => [path.basename(c.args[0] as string), c.args[1], c.args[2], c.args[3]]), [
    ['null', 0o20666, 1, 3], ['zero', 0o20666, 1, 5], ['full', 0o20666, 1, 7],
    ['random', 0o20666, 1, 8], ['urandom', 0o20666, 1, 9], ['tty', 0o20666, 5, 0],
  ]);
  assert.equal(fs.readlinkSync(path.join(root, 'dev/ptmx')), 'pts/ptmx');
  assert.equal(fs.readlinkSync(path.join(root, 'dev/fd')), '/proc/self/fd');
  assert.ok(!fs.existsSync(path.join(root, 'dev/console')));
});

test('without CAP_MKNOD the host\'s device nodes are bound instead', () => {
  const { root, spec } = setup();
  const sys = new RecordingSyscalls().failOn('mknod', 'EPERM');
  prepareRootfs(sys, spec, { terminal: false });
  assert.ok(sys.named('mount').some((c) => c.args[0] === '/dev/null' && c.args[1] === `${root}/dev/null` && c.args[3] === MS.BIND));
});

test('overlay root, bind mounts with a read-only remount, read-only root, propagation', () => {
  const src = fs.mkdtempSync(path.join(tmp, 'src-'));
  fs.writeFileSync(path.join(src, 'file.txt'), 'x');
  const { root, spec } = setup((s) => {
    s.slipway = { stdio: { terminal: true }, overlay: { lowerDirs: ['/l/init', '/l/1'], upperDir: '/l/up', workDir: '/l/work' } };
    s.root.readonly = true;
    s.linux.maskedPaths = []; s.linux.readonlyPaths = [];
    s.mounts = [
      { destination: '/data', type: 'bind', source: src, options: ['rbind', 'ro', 'rprivate'] },
      { destination: '/etc/app.txt', type: 'bind', source: path.join(src, 'file.txt'), options: ['bind'] },
    ];
  });
  fs.rmSync(root, { recursive: true }); // the overlay mount point is created by the set-up
  const sys = new RecordingSyscalls();
  prepareRootfs(sys, spec, { terminal: false });
  const mounts = sys.named('mount').map((c) => c.args);
  assert.deepEqual(mounts[1], ['overlay', root, 'overlay', 0, 'lowerdir=/l/init:/l/1,upperdir=/l/up,workdir=/l/work']);
  assert.deepEqual(mounts.slice(2, 6), [
    [src, `${root}/data`, null, MS.BIND | MS.REC, null],
    [null, `${root}/data`, null, MS.BIND | MS.REMOUNT | MS.RDONLY, null],
    [null, `${root}/data`, null, MS.PRIVATE | MS.REC, null],
    [path.join(src, 'file.txt'), `${root}/etc/app.txt`, null, MS.BIND, null],
  ]);
  assert.ok(fs.statSync(path.join(root, 'etc/app.txt')).isFile(), 'a file mount point for a file bind');
  assert.deepEqual(mounts.at(-1), [null, '/', null, MS.BIND | MS.REMOUNT | MS.RDONLY, null]);
});

test('a destination that escapes through a symlink stays inside the rootfs', () => {
  const { root, spec } = setup((s) => {
    s.mounts = [{ destination: '/evil/x', type: 'tmpfs', source: 'tmpfs', options: [] }];
    s.linux.maskedPaths = []; s.linux.readonlyPaths = [];
  });
  fs.symlinkSync('/../../../../tmp', path.join(root, 'evil'));
  const sys = new RecordingSyscalls();
  prepareRootfs(sys, spec, { terminal: false });
  assert.equal(sys.named('mount')[2].args[1], `${root}/tmp/x`);
});

test('a failing mount is a located StepError with the errno', () => {
  const { root, spec } = setup();
  const sys = new RecordingSyscalls().failOn('mount', 'EPERM', (args) => args[2] === 'sysfs');
  assert.throws(() => prepareRootfs(sys, spec, { terminal: false }), (err: unknown) => {
    assert.ok(err instanceof StepError);
    assert.equal(err.report.step, 'mount');
    assert.equal(err.report.path, '/sys');
    assert.equal(err.report.code, 'EPERM');
    assert.equal(err.report.message, `container setup failed: mount /sys: mount("sysfs", "${root}/sys", "sysfs", ${MS.NOSUID | MS.NOEXEC | MS.NODEV | MS.RDONLY}, null) failed: EPERM`);
    return true;
  });
  assert.equal(sys.named('pivotRoot').length, 0, 'stops at the failing step');
});

test('cgroup mount on a v1 host: tmpfs, one cgroup mount per hierarchy, aliases, read-only', () => {
  const { root, spec } = setup((s) => {
    s.mounts = [{ destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid'] }];
    s.linux.maskedPaths = []; s.linux.readonlyPaths = [];
  });
  const sys = new RecordingSyscalls();
  prepareRootfs(sys, spec, { terminal: false, cgroupV1: [{ dir: 'memory', options: 'memory' }, { dir: 'cpu,cpuacct', options: 'cpu,cpuacct' }] });
  const cg = `${root}/sys/fs/cgroup`;
  assert.deepEqual(sys.named('mount').slice(2).map((c) => c.args), [
    ['tmpfs', cg, 'tmpfs', MS.NOSUID, 'mode=755'],
    ['cgroup', `${cg}/memory`, 'cgroup', MS.RDONLY | MS.NOSUID, 'memory'],
    ['cgroup', `${cg}/cpu,cpuacct`, 'cgroup', MS.RDONLY | MS.NOSUID, 'cpu,cpuacct'],
    [null, cg, null, MS.REMOUNT | MS.RDONLY | MS.NOSUID, 'mode=755'],
  ]);
  assert.equal(fs.readlinkSync(`${cg}/cpu`), 'cpu,cpuacct');
});

test('cgroupV1Hierarchies reads the cgroup mounts of mountinfo', () => {
  const text = [
    '30 25 0:26 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory',
    '31 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:13 - cgroup cgroup rw,cpu,cpuacct',
    '32 25 0:28 / /sys/fs/cgroup/systemd rw shared:14 - cgroup cgroup rw,xattr,name=systemd',
    '33 25 0:29 / /sys/fs/cgroup/unified rw shared:15 - cgroup2 cgroup2 rw',
    '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/vda rw',
  ].join('\n');
  assert.deepEqual(cgroupV1Hierarchies(text), [
    { dir: 'memory', options: 'memory' }, { dir: 'cpu,cpuacct', options: 'cpu,cpuacct' }, { dir: 'systemd', options: 'name=systemd' },
  ]);
});

test('overlayData: absolute when it fits, relative to the common parent when it does not', () => {
  assert.deepEqual(overlayData(['/a/l1', '/a/l2'], '/a/u', '/a/w'), { data: 'lowerdir=/a/l1:/a/l2,upperdir=/a/u,workdir=/a/w' });
  const base = `/var/lib/slipway/${'x'.repeat(40)}/layers`;
  const lower = Array.from({ length: 90 }, (_, i) => `${base}/${String(i).padStart(3, '0')}`);
  const r = overlayData(lower, `${base}/up`, `${base}/work`);
  assert.equal(r.cwd, base);
  assert.ok(r.data.startsWith('lowerdir=000:001:'), r.data.slice(0, 40));
  assert.ok(r.data.length < PAGE_SIZE);
  const tooMany = Array.from({ length: 2000 }, (_, i) => `${base}/${i}`);
  assert.throws(() => overlayData(tooMany, `${base}/up`, `${base}/work`), /over the 4095-byte limit/);
});

test('overlayData: 120 short `l/` links fit, relative to the links\' directory with ../ to the container\'s dirs', () => {
  const state = '/var/lib/slipway';
  const ctr = `${state}/containers/${'c'.repeat(64)}`;
  const links = Array.from({ length: 120 }, (_, i) => `${state}/image/l/${String(i).padStart(26, 'A')}`);
  const r = overlayData([`${ctr}/init`, ...links], `${ctr}/diff`, `${ctr}/work`);
  assert.equal(r.cwd, `${state}/image/l`);
  assert.ok(r.data.startsWith(`lowerdir=../../containers/${'c'.repeat(64)}/init:${'A'.repeat(25)}0:`), r.data.slice(0, 120));
  assert.ok(r.data.endsWith(`,upperdir=../../containers/${'c'.repeat(64)}/diff,workdir=../../containers/${'c'.repeat(64)}/work`));
  assert.ok(r.data.length < PAGE_SIZE, String(r.data.length));
  // The same layers by their real paths (layers/<64 hex>/diff) do not fit.
  const real = Array.from({ length: 120 }, (_, i) => `${state}/image/layers/${String(i).padStart(64, '0')}/diff`);
  assert.throws(() => overlayData([`${ctr}/init`, ...real], `${ctr}/diff`, `${ctr}/work`), /over the 4095-byte limit/);
});
