import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ImageStore } from '../../../runtime/image/store';
import { collectGarbage, diskUsage, imageHistory, pruneImages } from '../../../runtime/image/gc';
import { treeItems } from '../../../runtime/layer/tree';
import { noSpecialFs } from '../../../runtime/layer/special-fs';
import type { ImageConfig } from '../../../runtime/image/types';
import { ConflictError, NotFoundError } from '../../../runtime/errors';

const run = promisify(execFile);

async function withStore(fn: (s: ImageStore, dir: string) => Promise<void>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-store-'));
  try {
    await fn(await ImageStore.open(path.join(dir, 'image'), { special: noSpecialFs }), dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A one-or-two-layer image made from small trees; `salt` makes distinct images. */
async function makeImage(s: ImageStore, dir: string, salt: string, names: string[] = [], base?: { layers: Awaited<ReturnType<typeof s.layers.create>>[] }) {
  const tree = fs.mkdtempSync(path.join(dir, 'tree-'));
  fs.mkdirSync(path.join(tree, 'etc'));
  fs.writeFileSync(path.join(tree, 'etc', 'salt'), salt);
  const layer = await s.layers.create(treeItems(tree, noSpecialFs, { clampMtime: 0 }));
  const layers = [...(base?.layers ?? []), layer];
  const config: ImageConfig = {
    architecture: 'amd64', os: 'linux', created: '2024-01-01T00:00:00Z',
    config: { Cmd: ['/bin/sh'], Env: [`SALT=${salt}`] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffID) },
    history: [...layers.map((_, i) => ({ created_by: `layer ${i}` })), { created_by: 'CMD', empty_layer: true }],
  };
  const image = await s.putImage({ config, layers: layers.map((l) => s.layers.descriptor(l)), names });
  return { image, layers };
}

test('an OCI layout: oci-layout, index.json with ref.name + full-name annotations, image ID = config digest', () => withStore(async (s, dir) => {
  const { image } = await makeImage(s, dir, 'a', ['busybox', 'localhost:5000/x:1']);
  const layout = JSON.parse(fs.readFileSync(path.join(s.root, 'oci-layout'), 'utf8'));
  assert.equal(layout.imageLayoutVersion, '1.0.0');
  const index = JSON.parse(fs.readFileSync(path.join(s.root, 'index.json'), 'utf8'));
  const refs = index.manifests.map((d: { annotations: Record<string, string> }) => [d.annotations['org.opencontainers.image.ref.name'], d.annotations['io.slipway.image.name']]).sort();
  assert.deepEqual(refs, [['1', 'localhost:5000/x:1'], ['latest', 'docker.io/library/busybox:latest']]);
  assert.equal(image.id, image.manifest.config.digest);
  assert.deepEqual(image.names, ['docker.io/library/busybox:latest', 'localhost:5000/x:1']);
}));

test('lookups: name, familiar name, full ID, ID prefix, manifest digest, name@digest; misses are NotFound', () => withStore(async (s, dir) => {
  const { image } = await makeImage(s, dir, 'a', ['busybox:1']);
  for (const q of ['busybox:1', 'docker.io/library/busybox:1', image.id, image.id.slice(7, 19), image.id.slice(7, 8), image.manifestDigest, `busybox@${image.manifestDigest}`]) {
    assert.equal((await s.get(q)).id, image.id, q);
  }
  await assert.rejects(s.get('busybox:2'), (e: unknown) => e instanceof NotFoundError && /no such image: busybox:2/.test(e.message));
  await assert.rejects(s.get('sha256:' + '0'.repeat(64)), NotFoundError);
}));

test('tag moves a name; the image it leaves without names becomes dangling, not lost', () => withStore(async (s, dir) => {
  const a = await makeImage(s, dir, 'a', ['app:latest']);
  const b = await makeImage(s, dir, 'b');
  await s.tag(b.image.id, 'app');
  assert.equal((await s.get('app')).id, b.image.id);
  assert.deepEqual((await s.dangling()).map((i) => i.id), [a.image.id]);
  await s.tag('app', 'app:v2');
  assert.deepEqual((await s.get(b.image.id)).names, ['docker.io/library/app:latest', 'docker.io/library/app:v2']);
}));

test('rmi: by name untags; last name deletes; by ID with several names needs force; in-use refused unless forced', () => withStore(async (s, dir) => {
  const { image } = await makeImage(s, dir, 'a', ['one', 'two']);
  assert.deepEqual(await s.remove('one'), [{ Untagged: 'one:latest' }]);
  await s.tag('two', 'three');
  await assert.rejects(s.remove(image.id), (e: unknown) => e instanceof ConflictError && /multiple repositories/.test(e.message));
  const inUse = (id: string) => id === image.id;
  assert.deepEqual(await s.remove('three', { inUse }), [{ Untagged: 'three:latest' }], 'untagging one of several names is fine in use');
  await assert.rejects(s.remove('two', { inUse }), (e: unknown) => e instanceof ConflictError && /used by a container/.test(e.message));
  await s.tag('two', 'four');
  assert.deepEqual(await s.remove(image.id, { force: true, inUse }), [{ Untagged: 'four:latest' }, { Untagged: 'two:latest' }]);
  assert.equal((await s.get(image.id)).names.length, 0, 'forced removal of an in-use image leaves it dangling');
  assert.deepEqual(await s.remove(image.id), [{ Deleted: image.id }]);
  await assert.rejects(s.get(image.id), NotFoundError);
}));

test('gc deletes unreferenced blobs, unpacked layers and records; shared layers survive', () => withStore(async (s, dir) => {
  const base = await makeImage(s, dir, 'base', ['base']);
  const child = await makeImage(s, dir, 'child', ['child'], base);
  await s.lowerDirs('child');
  assert.equal((await s.layers.unpacked()).length, 2);
  const blobsBefore = (await s.blobs.list()).length;
  await s.remove('child');
  const gc = await collectGarbage(s, { graceMs: 0 });
  assert.equal(gc.blobsDeleted.length, 3, 'manifest, config and the top layer of child');
  assert.equal((await s.blobs.list()).length, blobsBefore - 3);
  assert.deepEqual(gc.layersDeleted, [child.layers[1].diffID]);
  assert.ok(await s.blobs.has(base.layers[0].digest), 'the shared base layer stays');
  const young = await makeImage(s, dir, 'young');
  await s.remove(young.image.id);
  assert.equal((await collectGarbage(s)).blobsDeleted.length, 0, 'unreferenced but younger than the grace period');
}));

test('prune removes dangling images only; prune -a removes unused ones; df counts shared bytes', () => withStore(async (s, dir) => {
  const base = await makeImage(s, dir, 'base', ['base']);
  const child = await makeImage(s, dir, 'child', ['child'], base);
  await makeImage(s, dir, 'dangling');
  const df = await diskUsage(s, (id) => (id === child.image.id ? 1 : 0));
  const b = df.images.find((i) => i.id === base.image.id)!;
  assert.equal(b.sharedSize, base.layers[0].size, 'the base layer is shared with child');
  assert.equal(df.images.find((i) => i.id === child.image.id)!.containers, 1);
  const pruned = await pruneImages(s, { graceMs: 0 });
  assert.equal(pruned.ImagesDeleted.length, 1);
  assert.ok(pruned.SpaceReclaimed > 0);
  const all = await pruneImages(s, { all: true, graceMs: 0, inUse: (id) => id === child.image.id });
  assert.deepEqual(all.ImagesDeleted, [{ Untagged: 'base:latest' }, { Deleted: base.image.id }]);
  assert.ok(await s.blobs.has(base.layers[0].digest), 'still used by child');
}));

test('history: newest first, empty layers marked, sizes matched to layers', () => withStore(async (s, dir) => {
  const { image, layers } = await makeImage(s, dir, 'a', ['h']);
  const h = imageHistory(image);
  assert.deepEqual(h.map((x) => [x.createdBy, x.emptyLayer, x.size]), [['CMD', true, 0], ['layer 0', false, layers[0].size]]);
  assert.equal(h[0].id, image.id);
}));

test('lowerDirs: short l/ links, topmost first, resolving to the unpacked diff dirs', () => withStore(async (s, dir) => {
  const base = await makeImage(s, dir, 'base');
  await makeImage(s, dir, 'child', ['child'], base);
  const lower = await s.lowerDirs('child');
  assert.equal(lower.links.length, 2);
  for (const [i, link] of lower.links.entries()) {
    assert.match(link, /^l\/[A-Z2-7]{26}$/);
    assert.equal(fs.realpathSync(path.join(lower.root, link)), fs.realpathSync(lower.dirs[i]));
  }
  assert.equal(fs.readFileSync(path.join(lower.dirs[0], 'etc/salt'), 'utf8'), 'child', 'topmost first');
  assert.equal(fs.readFileSync(path.join(lower.dirs[1], 'etc/salt'), 'utf8'), 'base');
  assert.ok(lower.links.join(':').length < 4096 / 100 * 28, 'short enough for ~140 layers per page');
}));

test('a crash leaves a store that opens: tmp files and half-unpacked layers are swept', () => withStore(async (s, dir) => {
  await makeImage(s, dir, 'a', ['x']);
  // Temp names carry the writer's pid: those of a dead process are swept, a live one's are kept.
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  fs.writeFileSync(path.join(s.root, `index.json.tmp-${dead}-2`), '{"half');
  fs.mkdirSync(path.join(s.root, 'layers', `abc.tmp-${dead}-2`, 'diff'), { recursive: true });
  fs.writeFileSync(path.join(s.root, `index.json.tmp-${process.pid}-3`), '{"in flight');
  fs.writeFileSync(path.join(s.root, 'index.lock'), '999999999');
  const again = await ImageStore.open(s.root, { special: noSpecialFs });
  assert.equal((await again.get('x')).names[0], 'docker.io/library/x:latest');
  assert.deepEqual(fs.readdirSync(s.root).filter((n) => n.includes('.tmp-')), [`index.json.tmp-${process.pid}-3`]);
  assert.deepEqual(fs.readdirSync(path.join(s.root, 'layers')).filter((n) => n.includes('.tmp-')), []);
  await again.tag('x', 'y'); // the stale index.lock of a dead process does not block
}));

test('concurrent taggers in two processes and in-process never lose an index update', () => withStore(async (s, dir) => {
  const { image } = await makeImage(s, dir, 'a');
  const script = path.join(dir, 'tagger.ts');
  fs.writeFileSync(script, `import { ImageStore } from ${JSON.stringify(path.resolve('runtime/image/store'))};
import { noSpecialFs } from ${JSON.stringify(path.resolve('runtime/layer/special-fs'))};
const [root, id, prefix] = process.argv.slice(2);
ImageStore.open(root, { special: noSpecialFs }).then(async (s) => { for (let i = 0; i < 8; i++) await s.tag(id, prefix + i); });`);
  await Promise.all([
    run(process.execPath, ['--import', 'tsx', script, s.root, image.id, 'p1-']),
    run(process.execPath, ['--import', 'tsx', script, s.root, image.id, 'p2-']),
    ...Array.from({ length: 8 }, (_, i) => s.tag(image.id, `me-${i}`)),
  ]);
  assert.equal((await s.get(image.id)).names.length, 24);
}));

test('kill -9 in the middle of writes leaves a store that opens cleanly and resumes the known-digest partial', () => withStore(async (s, dir) => {
  await makeImage(s, dir, 'a', ['survivor']);
  const script = path.join(dir, 'crasher.ts');
  fs.writeFileSync(script, `import { ImageStore } from ${JSON.stringify(path.resolve('runtime/image/store'))};
import { noSpecialFs } from ${JSON.stringify(path.resolve('runtime/layer/special-fs'))};
const [root, digest] = process.argv.slice(2);
ImageStore.open(root, { special: noSpecialFs }).then(async (s) => {
  const known = await s.blobs.writer({ digest });
  await known.write(Buffer.alloc(1000, 1));
  const unknown = await s.blobs.writer();
  await unknown.write(Buffer.alloc(1000, 2));
  process.stdout.write('ready\\n');
  for (let i = 0; ; i++) await s.tag('survivor', 'spin:' + (i % 5));
});`);
  const digest = 'sha256:' + 'e'.repeat(64);
  const child = spawn(process.execPath, ['--import', 'tsx', script, s.root, digest], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.on('data', (b: Buffer) => { if (b.toString().includes('ready')) resolve(); }));
  await new Promise((r) => setTimeout(r, 300)); // let it rewrite index.json a few times
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  const again = await ImageStore.open(s.root, { special: noSpecialFs });
  assert.equal((await again.get('survivor')).names.includes('docker.io/library/survivor:latest'), true);
  const ingest = fs.readdirSync(path.join(s.root, 'ingest'));
  assert.deepEqual(ingest, [`${'e'.repeat(64)}.partial`], 'the unknown-digest partial and both dead locks are gone');
  const w = await again.blobs.writer({ digest });
  assert.equal(w.offset, 1000, 'the known-digest partial resumes');
  await w.abort();
  await again.tag('survivor', 'after-crash'); // the index lock of the dead process does not block
}));
