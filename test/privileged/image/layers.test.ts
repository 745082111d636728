// Layers against the real kernel: device nodes, overlay whiteouts and opaque directories,
// xattrs, ownership; the unpacked layers mounted as a real overlayfs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { privileged } from '../../helpers/tiers';
import { ImageStore } from '../../../runtime/image/store';
import { commitUpperDir, importRootfs } from '../../../runtime/image/import';
import { HostSpecialFs } from '../../../runtime/layer/special-fs';
import { treeItems } from '../../../runtime/layer/tree';
import { extractTar } from '../../../runtime/layer/extract';
import { Readable } from 'node:stream';

const special = new HostSpecialFs();
const sh = (cmd: string) => execFileSync('sh', ['-c', cmd]).toString();
const xattr = (p: string, name: string) => {
  try { return execFileSync('getfattr', ['-h', '--only-values', '-n', name, p]).toString(); } catch { return undefined; }
};

async function withTmp(fn: (dir: string) => Promise<void>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-priv-layers-'));
  try {
    await fn(dir);
  } finally {
    try { execFileSync('umount', ['-R', path.join(dir, 'merged')], { stdio: 'ignore' }); } catch { /* not mounted */ }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A lower tree with owners, a device, a setuid file, xattrs. */
function makeLower(root: string) {
  sh(`set -e; mkdir -p ${root}/etc ${root}/var/cache ${root}/dev ${root}/bin
    echo a > ${root}/etc/a; echo b > ${root}/etc/b; echo old > ${root}/var/cache/old
    mknod ${root}/dev/null c 1 3; chmod 666 ${root}/dev/null; mkfifo ${root}/fifo
    echo tool > ${root}/bin/ping; chown 1000:2000 ${root}/bin/ping; chmod 4750 ${root}/bin/ping
    setfattr -n user.note -v hello ${root}/bin/ping
    setfattr -n security.capability -v 0x0100000200200000000000000000000000000000 ${root}/bin/ping`);
}

test('device nodes, fifos, owners, setuid and binary xattrs survive layer → store → unpack', privileged, () => withTmp(async (dir) => {
  const lower = path.join(dir, 'lower');
  makeLower(lower);
  const s = await ImageStore.open(path.join(dir, 'image'), { special });
  const layer = await s.layers.create(treeItems(lower, special));
  const unpacked = await s.layers.unpack(s.layers.descriptor(layer), layer.diffID);
  const st = fs.statSync(path.join(unpacked, 'dev/null'));
  assert.ok(st.isCharacterDevice());
  assert.equal(st.rdev, fs.statSync(path.join(lower, 'dev/null')).rdev);
  assert.ok(fs.lstatSync(path.join(unpacked, 'fifo')).isFIFO());
  const ping = fs.statSync(path.join(unpacked, 'bin/ping'));
  assert.deepEqual([ping.uid, ping.gid, ping.mode & 0o7777], [1000, 2000, 0o4750]);
  assert.equal(xattr(path.join(unpacked, 'bin/ping'), 'user.note'), 'hello');
  const cap = execFileSync('getfattr', ['-h', '-e', 'hex', '-n', 'security.capability', path.join(unpacked, 'bin/ping')]).toString();
  assert.match(cap, /security.capability=0x0100000200200000000000000000000000000000/);
}));

test('an overlay upper dir → layer with whiteouts → unpacked as overlay whiteouts → mounted: the merged view matches', privileged, () => withTmp(async (dir) => {
  const s = await ImageStore.open(path.join(dir, 'image'), { special });
  const lowerTree = path.join(dir, 'lower');
  makeLower(lowerTree);
  await importRootfs(s, Readable.from([execFileSync('tar', ['--xattrs', '--xattrs-include=*', '-C', lowerTree, '-cf', '-', '.'], { maxBuffer: 1 << 26 })]), { names: ['base'] });
  const lower = await s.lowerDirs('base');

  // A container's writable layer: delete etc/a, make var/cache opaque with one new file, add a file.
  const upper = path.join(dir, 'upper'), work = path.join(dir, 'work'), merged = path.join(dir, 'merged');
  for (const d of [upper, work, merged]) fs.mkdirSync(d);
  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower.links.join(':')},upperdir=${upper},workdir=${work}`, merged], { cwd: lower.root });
  try {
    sh(`set -e; rm ${merged}/etc/a; rm -r ${merged}/var/cache; mkdir ${merged}/var/cache; echo new > ${merged}/var/cache/new; echo hi > ${merged}/hello`);
  } finally {
    execFileSync('umount', [merged]);
  }
  assert.ok(fs.lstatSync(path.join(upper, 'etc/a')).isCharacterDevice(), 'the kernel made a whiteout');
  assert.equal(xattr(path.join(upper, 'var/cache'), 'trusted.overlay.opaque'), 'y', 'the kernel made an opaque dir');

  const { image, changes } = await commitUpperDir(s, { parent: 'base', upperDir: upper, lowerDirs: lower.dirs, names: ['child'], special });
  const summary = changes.map((c) => `${c.kind[0].toUpperCase()} ${c.path}`);
  for (const want of ['D /etc/a', 'M /var/cache', 'D /var/cache/old', 'A /var/cache/new', 'A /hello', 'M /etc']) assert.ok(summary.includes(want), `${want} in ${summary.join(', ')}`);

  // The new layer's tar carries OCI whiteouts, not devices or overlay xattrs.
  const listing = execFileSync('tar', ['-tzvf', s.blobs.path(image.manifest.layers[1].digest)]).toString();
  assert.match(listing, /etc\/\.wh\.a/);
  assert.match(listing, /var\/cache\/\.wh\.\.wh\.\.opq/);

  // Unpacked for overlay, it is a kernel-readable lower dir again.
  const chain = await s.lowerDirs('child');
  assert.ok(fs.lstatSync(path.join(chain.dirs[0], 'etc/a')).isCharacterDevice());
  assert.equal(xattr(path.join(chain.dirs[0], 'var/cache'), 'trusted.overlay.opaque'), 'y');
  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${chain.links.join(':')}`, merged], { cwd: chain.root });
  try {
    assert.deepEqual(fs.readdirSync(path.join(merged, 'etc')).sort(), ['b']);
    assert.deepEqual(fs.readdirSync(path.join(merged, 'var/cache')), ['new']);
    assert.equal(fs.readFileSync(path.join(merged, 'hello'), 'utf8'), 'hi\n');
  } finally {
    execFileSync('umount', [merged]);
  }

  // Flattened extraction of both layers gives the same tree as the overlay.
  const flat = path.join(dir, 'flat');
  fs.mkdirSync(flat);
  for (const [i, l] of image.manifest.layers.entries()) {
    const { tar, verify } = await s.layers.openTar(l, image.config.rootfs.diff_ids[i]);
    await extractTar(tar, flat, { whiteouts: 'apply', special });
    verify();
  }
  assert.deepEqual(fs.readdirSync(path.join(flat, 'etc')).sort(), ['b']);
  assert.deepEqual(fs.readdirSync(path.join(flat, 'var/cache')), ['new']);
}));

test('in a user namespace the opaque marker becomes user.overlay.opaque (overlayXattrPrefix "user")', privileged, () => withTmp(async (dir) => {
  const s = await ImageStore.open(path.join(dir, 'image'), { special, overlayXattrPrefix: 'user' });
  const tree = path.join(dir, 'tree');
  fs.mkdirSync(path.join(tree, 'var/cache'), { recursive: true });
  fs.writeFileSync(path.join(tree, 'var/cache/.wh..wh..opq'), '');
  fs.writeFileSync(path.join(tree, 'var/.wh.gone'), '');
  const layer = await s.layers.create(treeItems(tree, special));
  const diff = await s.layers.unpack(s.layers.descriptor(layer), layer.diffID);
  assert.equal(xattr(path.join(diff, 'var/cache'), 'user.overlay.opaque'), 'y');
  assert.equal(xattr(path.join(diff, 'var/cache'), 'trusted.overlay.opaque'), undefined);
  const st = fs.lstatSync(path.join(diff, 'var/gone'));
  assert.ok(st.isCharacterDevice() && st.rdev === 0, 'whiteout as a 0/0 character device');
}));
