// SyscallSpecialFs on the real kernel (root): xattrs in the security, user and trusted
// namespaces round-trip byte for byte; whiteouts are 0/0 character devices overlayfs honours;
// an overlay upper dir goes through diff → tar → overlay-mode extraction and comes out with the
// same xattrs and device nodes; and it agrees with the getfattr-based HostSpecialFs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { privileged } from '../../helpers/tiers';
import { diffUpperDir } from '../../../runtime/layer/diff';
import { extractTar } from '../../../runtime/layer/extract';
import { HostSpecialFs } from '../../../runtime/layer/special-fs';
import { SyscallSpecialFs } from '../../../runtime/layer/syscall-special-fs';
import { splitDevice } from '../../../runtime/layer/tree';
import { isOverlayWhiteout } from '../../../runtime/layer/whiteout';
import { tarStream } from '../../../runtime/layer/writer';
import { MNT } from '../../../runtime/linux/constants';
import { LibcSyscalls } from '../../../runtime/linux/libc';

const sys = new LibcSyscalls();
const special = new SyscallSpecialFs(sys);
// A version-2 file capability granting cap_net_bind_service (bit 10) permitted+effective.
const capability = Buffer.from('0100000200040000000000000000000000000000', 'hex');
const binaryUser = Buffer.from([0, 0xff, 0x0a, 0x00, 0x80]);

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-sfs-priv-'));
  try { await fn(dir); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}

test('xattrs round-trip: security.capability, user.* (binary), trusted.overlay.opaque', privileged, () => withDir(async (dir) => {
  fs.mkdirSync(path.join(dir, 'opaque'));
  fs.writeFileSync(path.join(dir, 'opaque', 'ping'), 'x');
  fs.symlinkSync('opaque/ping', path.join(dir, 'link'));
  const rows: Array<[rel: string, name: string, value: Buffer]> = [
    ['opaque/ping', 'security.capability', capability],
    ['opaque/ping', 'user.binary', binaryUser],
    ['opaque', 'trusted.overlay.opaque', Buffer.from('y')],
    ['link', 'trusted.symlink-own', Buffer.from('on the link itself')],
  ];
  for (const [rel, name, value] of rows) await special.setXattr(path.join(dir, rel), name, value);
  const listed = await special.listXattrs(dir);
  for (const [rel, name, value] of rows) assert.deepEqual(listed.get(rel)?.[name], value, `${rel} ${name}`);
  assert.deepEqual(Object.keys(listed.get('link') ?? {}), ['trusted.symlink-own'], 'the symlink\'s own attributes, not its target\'s');
  assert.equal(listed.get('opaque/ping')?.['security.capability'].length, capability.length);
}));

test('device nodes: 0/0 whiteouts, block devices, fifos; modes exact despite the umask', privileged, () => withDir(async (dir) => {
  const rows: Array<[name: string, kind: 'char' | 'block' | 'fifo', mode: number, major: number, minor: number]> = [
    ['whiteout', 'char', 0, 0, 0],
    ['null', 'char', 0o666, 1, 3],
    ['loop3', 'block', 0o660, 7, 3],
    ['big', 'char', 0o600, 4095, 1048575],
    ['pipe', 'fifo', 0o622, 0, 0],
  ];
  for (const [name, kind, mode, major, minor] of rows) {
    const p = path.join(dir, name);
    await special.mknod(p, kind, mode, major, minor);
    const st = fs.lstatSync(p);
    assert.equal(kind === 'char' ? st.isCharacterDevice() : kind === 'block' ? st.isBlockDevice() : st.isFIFO(), true, name);
    assert.equal(st.mode & 0o7777, mode, `${name} mode`);
    if (kind !== 'fifo') assert.deepEqual(splitDevice(st.rdev), { major, minor }, `${name} device number`);
  }
  assert.ok(isOverlayWhiteout(fs.lstatSync(path.join(dir, 'whiteout'))));
  await assert.rejects(special.mknod(path.join(dir, 'null'), 'char', 0, 0, 0), /mknod\(".*\/null", .*\) failed: EEXIST/);
}));

test('an upper dir through diff, tar and overlay extraction keeps xattrs and whiteouts, and overlayfs honours them', privileged, () => withDir(async (dir) => {
  const [lower, upper, out, merged] = ['lower', 'upper', 'out', 'merged'].map((n) => path.join(dir, n));
  for (const d of [lower, upper, out, merged]) fs.mkdirSync(d);
  fs.mkdirSync(path.join(lower, 'etc'));
  fs.writeFileSync(path.join(lower, 'etc', 'old'), 'old');
  fs.writeFileSync(path.join(lower, 'gone'), 'gone');
  fs.writeFileSync(path.join(lower, 'kept'), 'kept');
  // The upper dir as a container would leave it: /gone deleted, /etc replaced (opaque), a capability added.
  await special.mknod(path.join(upper, 'gone'), 'char', 0, 0, 0);
  fs.mkdirSync(path.join(upper, 'etc'));
  await special.setXattr(path.join(upper, 'etc'), 'trusted.overlay.opaque', Buffer.from('y'));
  fs.writeFileSync(path.join(upper, 'etc', 'new'), 'new');
  fs.writeFileSync(path.join(upper, 'ping'), 'ping');
  await special.setXattr(path.join(upper, 'ping'), 'security.capability', capability);
  await special.setXattr(path.join(upper, 'ping'), 'user.binary', binaryUser);

  const diff = await diffUpperDir(upper, [lower], { special });
  const paths = diff.items.map((i) => i.entry.path);
  assert.ok(paths.includes('.wh.gone') && paths.includes('etc/.wh..wh..opq'), `whiteout entries in ${paths.join(', ')}`);
  await extractTar(tarStream(diff.items), out, { whiteouts: 'overlay', special, sameOwner: true });

  const back = await special.listXattrs(out);
  assert.deepEqual(back.get('ping'), { 'security.capability': capability, 'user.binary': binaryUser });
  assert.deepEqual(back.get('etc'), { 'trusted.overlay.opaque': Buffer.from('y') });
  assert.ok(isOverlayWhiteout(fs.lstatSync(path.join(out, 'gone'))), 'the whiteout is a 0/0 char device again');

  // The kernel agrees: mounted over the lower dir, the extracted layer hides /gone and the old /etc.
  // Two lower dirs and no upper: a read-only overlay, so only the extracted layer can hide anything.
  sys.mount('overlay', merged, 'overlay', 0, `lowerdir=${out}:${lower}`);
  try {
    assert.deepEqual(fs.readdirSync(merged).sort(), ['etc', 'kept', 'ping']);
    assert.deepEqual(fs.readdirSync(path.join(merged, 'etc')), ['new']);
  } finally {
    sys.umount2(merged, MNT.DETACH);
  }
}));

test('SyscallSpecialFs and HostSpecialFs (getfattr) list the same attributes', privileged, () => withDir(async (dir) => {
  fs.mkdirSync(path.join(dir, 'a/b'), { recursive: true });
  for (const [rel, name, value] of [
    ['a', 'user.dir', Buffer.from('d')],
    ['a/b/f', 'user.binary', binaryUser],
    ['a/b/f', 'security.capability', capability],
    ['a/b/name with\nnewline', 'user.x', Buffer.from('1')],
  ] as const) {
    if (!fs.existsSync(path.join(dir, rel))) fs.writeFileSync(path.join(dir, rel), '');
    await special.setXattr(path.join(dir, rel), name, value);
  }
  // Compared as plain objects: no symlinks here, where getfattr -R would report a target's attributes.
  const plain = (m: Map<string, Record<string, Buffer>>) => Object.fromEntries([...m].map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([n, b]) => [n, b.toString('hex')]))]));
  const ours = plain(await special.listXattrs(dir));
  assert.deepEqual(ours, plain(await new HostSpecialFs().listXattrs(dir)));
  assert.equal(Object.keys(ours).length, 3);
}));
