// SyscallSpecialFs over the recording fake: which calls a tree listing makes and how their
// answers become the SpecialFs map; mknod's type bits and exact modes; errors passed on with
// the path at fault. (The same class over real libc: test/privileged/layer/.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { S_IF } from '../../../runtime/linux/constants';
import { RecordingSyscalls } from '../../../runtime/linux/fake';
import { SyscallError } from '../../../runtime/linux/syscalls';
import { SyscallSpecialFs, defaultSpecialFs } from '../../../runtime/layer/syscall-special-fs';
import type { NodeKind } from '../../../runtime/layer/special-fs';
import { treeItemsSync } from '../../../runtime/layer/tree';

async function withTree(fn: (root: string) => Promise<void>): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-sfs-'));
  try {
    fs.mkdirSync(path.join(root, 'etc/sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/sub/f'), 'x');
    fs.writeFileSync(path.join(root, 'bin'), 'x');
    fs.symlinkSync('bin', path.join(root, 'link'));
    await fn(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

test('listXattrs: one llistxattr per path (root included), lgetxattr only for listed names, relative keys', () => withTree(async (root) => {
  const sys = new RecordingSyscalls();
  const cap = Buffer.from('0100000200200000', 'hex');
  sys.xattrs.set(root, new Map([['user.root', Buffer.from('r')]]));
  sys.xattrs.set(path.join(root, 'etc/sub'), new Map([['trusted.overlay.opaque', Buffer.from('y')]]));
  sys.xattrs.set(path.join(root, 'bin'), new Map([['security.capability', cap], ['user.a', Buffer.from([0])]]));
  const map = await new SyscallSpecialFs(sys).listXattrs(root);
  assert.deepEqual([...map.keys()].sort(), ['', 'bin', 'etc/sub']);
  assert.deepEqual(map.get('bin'), { 'security.capability': cap, 'user.a': Buffer.from([0]) });
  assert.deepEqual(map.get('etc/sub'), { 'trusted.overlay.opaque': Buffer.from('y') });
  assert.deepEqual(map.get(''), { 'user.root': Buffer.from('r') });
  const listed = sys.named('llistxattr').map((c) => path.relative(root, c.args[0] as string)).sort();
  assert.deepEqual(listed, ['', 'bin', 'etc', 'etc/sub', 'etc/sub/f', 'link'], 'every path once, symlinks listed not followed');
  assert.equal(sys.named('lgetxattr').length, 4, 'one lgetxattr per listed name, none for paths without');
}));

test('listXattrs: a missing root is empty; a path that vanishes mid-walk is skipped; other errors are thrown', () => withTree(async (root) => {
  assert.deepEqual(await new SyscallSpecialFs(new RecordingSyscalls()).listXattrs(path.join(root, 'nope')), new Map());
  const vanished = new RecordingSyscalls().failOn('llistxattr', 'ENOENT', (a) => String(a[0]).endsWith('/bin'));
  vanished.xattrs.set(path.join(root, 'etc'), new Map([['user.x', Buffer.from('1')]]));
  assert.deepEqual([...(await new SyscallSpecialFs(vanished).listXattrs(root)).keys()], ['etc']);
  const denied = new RecordingSyscalls().failOn('llistxattr', 'EACCES', (a) => String(a[0]).endsWith('/etc/sub/f'));
  await assert.rejects(new SyscallSpecialFs(denied).listXattrs(root), /llistxattr\(".*\/etc\/sub\/f"\) failed: EACCES/);
}));

test('listXattrs on a single file lists that file under ""', () => withTree(async (root) => {
  const sys = new RecordingSyscalls();
  const file = path.join(root, 'bin');
  sys.xattrs.set(file, new Map([['user.a', Buffer.from('1')]]));
  assert.deepEqual(await new SyscallSpecialFs(sys).listXattrs(file), new Map([['', { 'user.a': Buffer.from('1') }]]));
}));

test('mknod: type bits per kind, fifo without a device number, exact permission bits', () => withTree(async (root) => {
  const rows: Array<[NodeKind, number, number, number, number, number]> = [
    // kind, mode, major, minor → mode given to mknod(2), recorded major/minor
    ['char', 0, 0, 0, S_IF.CHR, 0],
    ['char', 0o666, 1, 3, S_IF.CHR | 0o666, 1],
    ['block', 0o660, 7, 3, S_IF.BLK | 0o660, 7],
    ['fifo', 0o4640, 9, 9, S_IF.FIFO | 0o4640, 0],
  ];
  for (const [i, [kind, mode, major, minor, sysMode, sysMajor]] of rows.entries()) {
    const sys = new RecordingSyscalls();
    const target = path.join(root, `node${i}`);
    await new SyscallSpecialFs(sys).mknod(target, kind, mode, major, minor);
    const [call] = sys.named('mknod');
    assert.deepEqual(call.args, [target, sysMode, sysMajor, kind === 'fifo' ? 0 : minor], `${kind} ${mode.toString(8)}`);
    // The fake leaves a plain file; the chmod after mknod must still set the asked mode exactly.
    if (mode !== 0) assert.equal(fs.statSync(target).mode & 0o7777, mode & 0o7777);
  }
}));

test('setXattr and mknod failures reject with the syscall error naming the path', () => withTree(async (root) => {
  const sys = new RecordingSyscalls().failOn('lsetxattr', 'ENOTSUP').failOn('mknod', 'EPERM');
  const special = new SyscallSpecialFs(sys);
  await assert.rejects(special.setXattr(path.join(root, 'bin'), 'user.a', Buffer.from('1')), (err: unknown) => {
    assert.ok(err instanceof SyscallError);
    assert.match(err.message, /^lsetxattr\(".*\/bin", "user\.a", .*\) failed: (ENOTSUP|EOPNOTSUPP)$/);
    return true;
  });
  await assert.rejects(special.mknod(path.join(root, 'dev'), 'char', 0, 0, 0), /mknod\(".*\/dev", .*\) failed: EPERM/);
  assert.deepEqual(sys.named('lsetxattr')[0].args.slice(1), ['user.a', Buffer.from('1'), 0]);
}));

test('defaultSpecialFs is the syscall implementation where koffi loads, and one instance', () => {
  const chosen = defaultSpecialFs();
  assert.ok(chosen instanceof SyscallSpecialFs);
  assert.equal(defaultSpecialFs(), chosen);
});

test('treeItemsSync asks per path (no whole-tree listing) and puts the attributes on the entries', () => withTree(async (root) => {
  const sys = new RecordingSyscalls();
  const cap = Buffer.from('0100000200200000', 'hex');
  sys.xattrs.set(path.join(root, 'bin'), new Map([['security.capability', cap]]));
  const entries = [...await treeItemsSync(root, new SyscallSpecialFs(sys))].map((i) => i.entry);
  assert.deepEqual(entries.find((e) => e.path === 'bin')?.xattrs, { 'security.capability': cap });
  assert.deepEqual(entries.filter((e) => e.xattrs).map((e) => e.path), ['bin']);
  const listed = sys.named('llistxattr').map((c) => path.relative(root, c.args[0] as string)).sort();
  assert.deepEqual(listed, ['bin', 'etc', 'etc/sub', 'etc/sub/f', 'link'], 'one call per walked path, the root not listed');
}));
