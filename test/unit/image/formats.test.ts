import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { ImageStore } from '../../../runtime/image/store';
import { importRootfs, exportTree, commitUpperDir } from '../../../runtime/image/import';
import { saveImages, type ArchiveFormat } from '../../../runtime/image/archive';
import { loadArchive } from '../../../runtime/image/load';
import { extractTar } from '../../../runtime/layer/extract';
import { readTar } from '../../../runtime/layer/tar-reader';
import { treeItems } from '../../../runtime/layer/tree';
import { noSpecialFs } from '../../../runtime/layer/special-fs';
import { decompressed } from '../../../runtime/layer/writer';
import { DigestMismatchError } from '../../../runtime/image/blobs';

async function withDirs(fn: (dir: string) => Promise<void>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-formats-'));
  try {
    await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function makeTree(root: string) {
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(root, 'etc'));
  fs.writeFileSync(path.join(root, 'bin', 'tool'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
  fs.chmodSync(path.join(root, 'bin', 'tool'), 0o4755);
  fs.linkSync(path.join(root, 'bin', 'tool'), path.join(root, 'bin', 'tool2'));
  fs.symlinkSync('tool', path.join(root, 'bin', 'sh'));
  fs.writeFileSync(path.join(root, 'etc', 'os-release'), 'ID=test\n');
  fs.writeFileSync(path.join(root, 'big'), Buffer.alloc(3 << 20, 7));
  fs.mkdirSync(path.join(root, 'd/'.repeat(40) + 'deep'), { recursive: true });
}

/** A comparable description of a tree: path, type, mode, size, link target, content hash. */
function describeTree(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(path.join(root, r));
      const kind = st.isDirectory() ? 'd' : st.isSymbolicLink() ? `l>${fs.readlinkSync(path.join(root, r))}` : `f${st.size}:${st.nlink}:${fs.readFileSync(path.join(root, r)).subarray(0, 32).toString('hex')}`;
      out.push(`${r} ${(st.mode & 0o7777).toString(8)} ${kind}`);
      if (st.isDirectory()) walk(r);
    }
  };
  walk('');
  return out;
}

const open = (p: string) => ImageStore.open(p, { special: noSpecialFs });

for (const format of ['docker', 'oci'] as ArchiveFormat[]) {
  test(`import → save (${format}) → load into another store: same image ID, names, files`, () => withDirs(async (dir) => {
    const tree = path.join(dir, 'tree');
    makeTree(tree);
    const tarball = execFileSync('tar', ['-C', tree, '-czf', '-', '.'], { maxBuffer: 1 << 28 });
    const a = await open(path.join(dir, 'a'));
    const { image } = await importRootfs(a, Readable.from([tarball]), { changes: ['CMD ["/bin/sh"]', 'ENV A=1'], message: 'from a test', names: ['test/rootfs:1'] });
    assert.deepEqual(image.config.config, { Cmd: ['/bin/sh'], Env: ['A=1'] });
    assert.equal(image.config.history?.[0].comment, 'from a test');
    await a.tag('test/rootfs:1', 'localhost:5000/other');

    const archive = path.join(dir, `out.${format}.tar`);
    await saveImages(a, ['test/rootfs:1', 'localhost:5000/other'], format, fs.createWriteStream(archive));
    const listing = execFileSync('tar', ['-tf', archive]).toString().split('\n');
    if (format === 'docker') assert.ok(listing.includes('manifest.json') && listing.includes('repositories') && listing.includes(`${image.id.slice(7)}.json`));
    else assert.ok(listing.includes('oci-layout') && listing.includes('index.json') && listing.includes(`blobs/sha256/${image.manifestDigest.slice(7)}`));

    const b = await open(path.join(dir, 'b'));
    const loaded = await loadArchive(b, fs.createReadStream(archive));
    assert.deepEqual(loaded.messages.sort(), ['Loaded image: localhost:5000/other:latest', 'Loaded image: test/rootfs:1']);
    const back = await b.get('test/rootfs:1');
    assert.equal(back.id, image.id, 'the config bytes and so the image ID survive');
    assert.deepEqual(back.names, image.names.concat('localhost:5000/other:latest').sort());
    if (format === 'oci') assert.equal(back.manifestDigest, image.manifestDigest, 'OCI archives keep the manifest');

    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    const { tar } = await b.layers.openTar(back.manifest.layers[0], back.config.rootfs.diff_ids[0]);
    await extractTar(tar, out, { whiteouts: 'apply', special: noSpecialFs, sameOwner: false });
    assert.deepEqual(describeTree(out), describeTree(tree));
  }));
}

test('load refuses a Docker archive whose layer does not match the config diffID, adding no image', () => withDirs(async (dir) => {
  const tree = path.join(dir, 'tree');
  makeTree(tree);
  const a = await open(path.join(dir, 'a'));
  await importRootfs(a, Readable.from([execFileSync('tar', ['-C', tree, '-cf', '-', '.'], { maxBuffer: 1 << 28 })]), { names: ['x'] });
  const archive = path.join(dir, 'x.tar');
  await saveImages(a, ['x'], 'docker', fs.createWriteStream(archive));
  // Swap the layer for another tar of the same name.
  const unpacked = path.join(dir, 'unpacked');
  fs.mkdirSync(unpacked);
  execFileSync('tar', ['-C', unpacked, '-xf', archive]);
  const layerTar = execFileSync('sh', ['-c', `ls ${unpacked}/*/layer.tar`]).toString().trim();
  fs.writeFileSync(path.join(tree, 'etc', 'os-release'), 'tampered\n');
  execFileSync('tar', ['-C', tree, '-cf', layerTar, '.']);
  const evil = execFileSync('tar', ['-C', unpacked, '-cf', '-', '.'], { maxBuffer: 1 << 28 });
  const b = await open(path.join(dir, 'b'));
  await assert.rejects(loadArchive(b, Readable.from([evil])), (e: unknown) => e instanceof DigestMismatchError && /does not match the diffID/.test(e.message));
  assert.deepEqual(await b.list(), []);
}));

test('load refuses what is not an image archive', () => withDirs(async (dir) => {
  const b = await open(path.join(dir, 'b'));
  const junk = execFileSync('tar', ['-C', __dirname, '-cf', '-', path.basename(__filename)]);
  await assert.rejects(loadArchive(b, Readable.from([junk])), /neither index.json \(OCI\) nor manifest.json \(Docker\)/);
}));

test('export: the tar of a tree lists every path with numeric owners and hard links', () => withDirs(async (dir) => {
  const tree = path.join(dir, 'tree');
  makeTree(tree);
  const seen: string[] = [];
  for await (const r of readTar(exportTree(tree, noSpecialFs))) seen.push(`${r.entry.type}:${r.entry.path}${r.entry.linkname ? '>' + r.entry.linkname : ''}`);
  assert.ok(seen.includes('link:bin/tool2>bin/tool'));
  assert.ok(seen.includes('symlink:bin/sh>tool'));
  assert.ok(seen.indexOf('directory:bin') < seen.indexOf('file:bin/tool'), 'parents first');
}));

test('determinism: the same tree gives the same digest; other mtimes give the same digest when clamped', () => withDirs(async (dir) => {
  const s = await open(path.join(dir, 's'));
  const one = path.join(dir, 'one'), two = path.join(dir, 'two');
  makeTree(one);
  makeTree(two);
  const l1 = await s.layers.create(treeItems(one, noSpecialFs));
  const l1again = await s.layers.create(treeItems(one, noSpecialFs));
  assert.equal(l1.digest, l1again.digest);
  assert.equal(l1.diffID, l1again.diffID);
  const old = new Date('2001-01-01T00:00:00Z');
  fs.utimesSync(path.join(two, 'etc', 'os-release'), old, old);
  const l2 = await s.layers.create(treeItems(two, noSpecialFs));
  assert.notEqual(l2.diffID, l1.diffID, 'mtimes kept: a different mtime is a different layer');
  const clamp = Math.floor(old.getTime() / 1000) - 100;
  const c1 = await s.layers.create(treeItems(one, noSpecialFs, { clampMtime: clamp }));
  const c2 = await s.layers.create(treeItems(two, noSpecialFs, { clampMtime: clamp }));
  assert.equal(c1.digest, c2.digest, 'clamped: same digest');
}));

test('commit of an upper dir: a new layer with its change list on top of the parent', () => withDirs(async (dir) => {
  const s = await open(path.join(dir, 's'));
  const lower = path.join(dir, 'lower');
  makeTree(lower);
  const { image: parent } = await importRootfs(s, Readable.from([execFileSync('tar', ['-C', lower, '-cf', '-', '.'], { maxBuffer: 1 << 28 })]), { names: ['base'], changes: ['CMD ["/bin/sh"]'] });
  const upper = path.join(dir, 'upper');
  fs.mkdirSync(path.join(upper, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(upper, 'etc', 'os-release'), 'ID=changed\n');
  fs.writeFileSync(path.join(upper, 'etc', 'new'), 'new');
  const { image, changes, layer } = await commitUpperDir(s, { parent: 'base', upperDir: upper, lowerDirs: [lower], changes: ['ENV X=1'], message: 'commit msg', author: 'me', names: ['committed'], special: noSpecialFs });
  assert.deepEqual(changes.map((c) => `${c.kind} ${c.path}`), ['modified /etc', 'added /etc/new', 'modified /etc/os-release']);
  assert.equal(changes.find((c) => c.path === '/etc/new')?.size, 3);
  assert.deepEqual((await s.layers.record(layer.diffID))?.changes, changes, 'the change list is stored beside the layer');
  assert.deepEqual(image.config.rootfs.diff_ids, [...parent.config.rootfs.diff_ids, layer.diffID]);
  assert.deepEqual(image.config.config, { Cmd: ['/bin/sh'], Env: ['X=1'] });
  assert.deepEqual(image.config.history?.at(-1), { created: image.config.created, author: 'me', comment: 'commit msg' });
  assert.equal(image.manifest.layers[0].digest, parent.manifest.layers[0].digest);
}));

test('a gzip, plain or refused compression is detected by its magic', async () => {
  const zstd = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]);
  await assert.rejects(decompressed(Readable.from([zstd]), 'layer x'), /layer x is zstd-compressed/);
  const plain = new PassThrough();
  plain.end(Buffer.from('hello world'));
  const chunks: Buffer[] = [];
  for await (const c of await decompressed(plain, 'p')) chunks.push(c as Buffer);
  assert.equal(Buffer.concat(chunks).toString(), 'hello world');
});
