// Extended attributes through the Linux layer: the libc calls on user.* attributes of temp files
// (no privilege needed on ext4/tmpfs), name-list splitting, and the fake's recording and errno
// mapping, which must match the libc implementation's (ENODATA/ENOTSUP mean "none").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XATTR, splitXattrNames } from '../../../runtime/linux/constants';
import { RecordingSyscalls } from '../../../runtime/linux/fake';
import { LibcSyscalls } from '../../../runtime/linux/libc';
import { SyscallError, type Syscalls } from '../../../runtime/linux/syscalls';

const binary = Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x00, 0x7f]); // NULs inside: must not be cut

function withTemp(fn: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-xattr-'));
  try { fn(dir); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}

test('splitXattrNames: NUL-terminated names, empty list, UTF-8', () => {
  const rows: Array<[string, string[]]> = [
    ['', []],
    ['user.a\0', ['user.a']],
    ['user.a\0security.capability\0trusted.overlay.opaque\0', ['user.a', 'security.capability', 'trusted.overlay.opaque']],
    ['user.é\0', ['user.é']],
  ];
  for (const [raw, names] of rows) assert.deepEqual(splitXattrNames(Buffer.from(raw, 'utf8')), names, JSON.stringify(raw));
});

// The same behaviour table for both implementations; the fake is checked against the kernel.
const implementations: Array<[string, () => Syscalls, (file: string) => void]> = [
  ['libc', () => new LibcSyscalls(), (file) => fs.writeFileSync(file, 'x')],
  ['fake', () => new RecordingSyscalls(), () => undefined],
];

for (const [name, make, create] of implementations) {
  test(`${name}: set, list, get (binary-exact), CREATE/REPLACE flags, remove`, () => withTemp((dir) => {
    const sys = make();
    const file = path.join(dir, 'f');
    create(file);
    assert.deepEqual(sys.llistxattr(file), []);
    assert.equal(sys.lgetxattr(file, 'user.missing'), undefined, 'ENODATA is "no such attribute"');
    sys.lsetxattr(file, 'user.bin', binary);
    sys.lsetxattr(file, 'user.empty', Buffer.alloc(0));
    assert.deepEqual(sys.llistxattr(file).sort(), ['user.bin', 'user.empty']);
    assert.deepEqual(sys.lgetxattr(file, 'user.bin'), binary);
    assert.deepEqual(sys.lgetxattr(file, 'user.empty'), Buffer.alloc(0));
    const first = sys.lgetxattr(file, 'user.bin')!;
    sys.lgetxattr(file, 'user.empty');
    assert.deepEqual(first, binary, 'a returned value is not overwritten by the next call');
    assert.throws(() => sys.lsetxattr(file, 'user.bin', Buffer.from('y'), XATTR.CREATE), (err: unknown) => {
      assert.ok(err instanceof SyscallError);
      assert.equal(err.code, 'EEXIST');
      assert.match(err.message, /^lsetxattr\(".*\/f", "user\.bin"/);
      return true;
    });
    assert.throws(() => sys.lsetxattr(file, 'user.new', Buffer.from('y'), XATTR.REPLACE), /ENODATA/);
    sys.lremovexattr(file, 'user.bin');
    assert.deepEqual(sys.llistxattr(file), ['user.empty']);
    assert.throws(() => sys.lremovexattr(file, 'user.bin'), /lremovexattr\(.*"user\.bin"\) failed: ENODATA/);
  }));
}

test('libc: the l* calls do not follow a final symlink; failures name the path and errno', () => withTemp((dir) => {
  const sys = new LibcSyscalls();
  const file = path.join(dir, 'target');
  fs.writeFileSync(file, 'x');
  fs.symlinkSync('target', path.join(dir, 'link'));
  sys.lsetxattr(file, 'user.on-target', Buffer.from('1'));
  assert.deepEqual(sys.llistxattr(path.join(dir, 'link')), [], 'the link has none of its target\'s attributes');
  assert.equal(sys.lgetxattr(path.join(dir, 'link'), 'user.on-target'), undefined);
  // user.* is refused on symlinks by the kernel: the error says which call, path and why.
  assert.throws(() => sys.lsetxattr(path.join(dir, 'link'), 'user.x', Buffer.from('1')), /lsetxattr\(".*\/link", "user\.x", "1 bytes", 0\) failed: EPERM/);
  assert.throws(() => sys.llistxattr(path.join(dir, 'missing')), (err: unknown) => err instanceof SyscallError && err.code === 'ENOENT' && err.message.includes('missing'));
}));

test('libc: a value of the kernel maximum size round-trips', () => withTemp((dir) => {
  const sys = new LibcSyscalls();
  const file = path.join(dir, 'f');
  fs.writeFileSync(file, 'x');
  // ext4 keeps values up to a block in its xattr block; 3000 bytes fits any block size.
  const big = Buffer.from(Array.from({ length: 3000 }, (_, i) => i & 0xff));
  sys.lsetxattr(file, 'user.big', big);
  assert.deepEqual(sys.lgetxattr(file, 'user.big'), big);
}));

test('fake: calls are recorded with their arguments; injected errors are mapped as libc maps them', () => {
  const sys = new RecordingSyscalls();
  sys.lsetxattr('/r/f', 'security.capability', binary);
  sys.llistxattr('/r/f');
  sys.lgetxattr('/r/f', 'security.capability');
  assert.deepEqual(sys.named('lsetxattr', 'llistxattr', 'lgetxattr').map((c) => [c.call, ...c.args]), [
    ['lsetxattr', '/r/f', 'security.capability', binary, 0],
    ['llistxattr', '/r/f'],
    ['lgetxattr', '/r/f', 'security.capability'],
  ]);
  // Each row: an attribute exists, yet the injected errno makes the call answer "none".
  const rows: Array<[call: 'llistxattr' | 'lgetxattr', errno: string, expected: unknown]> = [
    ['llistxattr', 'ENOTSUP', []],
    ['lgetxattr', 'ENODATA', undefined],
    ['lgetxattr', 'EOPNOTSUPP', undefined],
  ];
  for (const [call, errno, expected] of rows) {
    const ask = (s: RecordingSyscalls) => (call === 'llistxattr' ? s.llistxattr('/r/f') : s.lgetxattr('/r/f', 'security.capability'));
    const healthy = new RecordingSyscalls();
    const failing = new RecordingSyscalls().failOn(call, errno);
    for (const s of [healthy, failing]) s.xattrs.set('/r/f', new Map([['security.capability', binary]]));
    assert.notDeepEqual(ask(healthy), expected, `${call} answers without the injected error`);
    assert.deepEqual(ask(failing), expected, `${call} ${errno}`);
  }
  const denied = new RecordingSyscalls().failOn('llistxattr', 'EACCES');
  assert.throws(() => denied.llistxattr('/r/secret'), /llistxattr\("\/r\/secret"\) failed: EACCES/);
});
