// pullImage against an in-memory registry (a fake fetch): Range ignored or honoured, bodies
// that end early, unsupported media types — each leaving the store as it should.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ImageStore } from '../../../runtime/image/store';
import { parseReference } from '../../../runtime/image/reference';
import { MediaType, hostPlatform } from '../../../runtime/image/types';
import { noSpecialFs } from '../../../runtime/layer/special-fs';
import { pullImage } from '../../../runtime/registry/pull';
import { RegistrySession } from '../../../runtime/registry/session';
import type { FetchLike } from '../../../runtime/registry/transport';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

interface Behaviour { ignoreRange?: boolean; shortOnce?: boolean; manifestType?: string; layerType?: string; tar?: Buffer }

function fakeRegistry(behaviour: Behaviour) {
  const layer = behaviour.tar ? gzipSync(behaviour.tar) : randomBytes(300_000);
  const p = hostPlatform();
  const config = Buffer.from(JSON.stringify({ architecture: p.architecture, os: p.os, rootfs: { type: 'layers', diff_ids: [sha(behaviour.tar ?? Buffer.from('x'))] } }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: sha(config), size: config.length },
    layers: [{ mediaType: behaviour.layerType ?? MediaType.ociLayerGzip, digest: sha(layer), size: layer.length }],
  }));
  const blobs = new Map([[sha(layer), layer], [sha(config), config]]);
  const requests: Array<{ url: string; range?: string }> = [];
  let shortened = false;
  const fetch: FetchLike = async (url, init) => {
    const range = new Headers(init.headers).get('range') ?? undefined;
    requests.push({ url, range });
    const m = /\/v2\/(.+)\/(manifests|blobs)\/(.+)$/.exec(new URL(url).pathname);
    if (m?.[2] === 'manifests') {
      if (m[3] !== '1') return new Response(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }), { status: 404 });
      return new Response(manifest, { headers: { 'content-type': behaviour.manifestType ?? MediaType.ociManifest } });
    }
    const blob = m ? blobs.get(m[3]) : undefined;
    if (!blob) return new Response('', { status: 404 });
    if (blob === layer && behaviour.shortOnce && !shortened) {
      shortened = true;
      return new Response(blob.subarray(0, 100_000), { status: 200 });
    }
    const start = range && !behaviour.ignoreRange ? Number(/bytes=(\d+)-/.exec(range)![1]) : 0;
    return new Response(blob.subarray(start), { status: start > 0 ? 206 : 200 });
  };
  return { fetch, requests, layer, manifest };
}

async function withStore(fn: (store: ImageStore) => Promise<void>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-pull-unit-'));
  try {
    await fn(await ImageStore.open(dir, { special: noSpecialFs }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ref = parseReference('reg.example.com/app:1');
const session = (fetch: FetchLike) => new RegistrySession({ fetch, env: {}, retry: { attempts: 2, baseMs: 1, maxMs: 1 } });

test('a body that ends early is resumed with Range from the bytes already written', () => withStore(async (store) => {
  const reg = fakeRegistry({ shortOnce: true });
  const result = await pullImage(store, ref, { session: session(reg.fetch) });
  assert.equal(result.manifestDigest, sha(reg.manifest));
  const layerGets = reg.requests.filter((r) => r.url.endsWith(sha(reg.layer)));
  assert.deepEqual(layerGets.map((r) => r.range), [undefined, 'bytes=100000-']);
  assert.deepEqual(await store.blobs.read(sha(reg.layer)), reg.layer);
}));

test('a registry that ignores Range sends the whole blob again: the partial is dropped, not appended to', () => withStore(async (store) => {
  const reg = fakeRegistry({ shortOnce: true, ignoreRange: true });
  await pullImage(store, ref, { session: session(reg.fetch) });
  assert.deepEqual(await store.blobs.read(sha(reg.layer)), reg.layer);
}));

test('progress events follow Docker\'s order for a new layer', () => withStore(async (store) => {
  const reg = fakeRegistry({});
  const statuses: string[] = [];
  await pullImage(store, ref, { session: session(reg.fetch), onProgress: (e) => statuses.push(e.status) });
  const layerStatuses = statuses.filter((s) => !s.startsWith('Pulling from') && !s.startsWith('Digest') && !s.startsWith('Status') && s !== 'Downloading');
  assert.deepEqual(layerStatuses, ['Pulling fs layer', 'Verifying Checksum', 'Download complete', 'Pull complete']);
  assert.equal(statuses.at(-1), 'Status: Downloaded newer image for reg.example.com/app:1');
  const again: string[] = [];
  await pullImage(store, ref, { session: session(reg.fetch), onProgress: (e) => again.push(e.status) });
  assert.ok(again.includes('Already exists'));
  assert.equal(again.at(-1), 'Status: Image is up to date for reg.example.com/app:1');
}));

const rejectCases: Array<[string, Behaviour, RegExp]> = [
  ['schema1 manifests', { manifestType: 'application/vnd.docker.distribution.manifest.v1+prettyjws' }, /unsupported media type application\/vnd\.docker\.distribution\.manifest\.v1\+prettyjws/],
  ['foreign layers', { layerType: MediaType.dockerForeignLayer }, /layer sha256:[a-f0-9]{64} of reg\.example\.com\/app:1 has unsupported media type/],
];
for (const [name, behaviour, message] of rejectCases) {
  test(`${name} are refused with a clear error and nothing stored`, () => withStore(async (store) => {
    const reg = fakeRegistry(behaviour);
    await assert.rejects(pullImage(store, ref, { session: session(reg.fetch) }), message);
    assert.deepEqual(await store.blobs.list(), []);
    assert.deepEqual((await store.readIndex()).manifests, []);
  }));
}

test('unknown tag: 404 "manifest unknown" naming the reference', () => withStore(async (store) => {
  const reg = fakeRegistry({});
  await assert.rejects(pullImage(store, parseReference('reg.example.com/app:2'), { session: session(reg.fetch) }), (err: Error & { status: number }) => {
    assert.equal(err.status, 404);
    assert.equal(err.message, 'manifest unknown: manifest reg.example.com/app:2 not found in reg.example.com');
    return true;
  });
}));

function smallTar(): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-pull-tar-'));
  try {
    fs.mkdirSync(path.join(dir, 'etc'));
    fs.writeFileSync(path.join(dir, 'etc', 'hello'), 'hello from the registry\n');
    return execFileSync('tar', ['-C', dir, '--owner=0', '--group=0', '-cf', '-', 'etc']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('unpack: layers extracted (and their diffIDs checked) before the image is recorded', () => withStore(async (store) => {
  const reg = fakeRegistry({ tar: smallTar() });
  const statuses: string[] = [];
  await pullImage(store, ref, { session: session(reg.fetch), unpack: true, onProgress: (e) => statuses.push(e.status) });
  assert.ok(statuses.indexOf('Extracting') > statuses.indexOf('Download complete'));
  const lower = await store.lowerDirs('reg.example.com/app:1');
  assert.equal(fs.readFileSync(path.join(lower.dirs[0], 'etc', 'hello'), 'utf8'), 'hello from the registry\n');
}));

test('unpack failure (bytes that are not a layer) leaves no blob, unpacked dir or name behind', () => withStore(async (store) => {
  const reg = fakeRegistry({});
  await assert.rejects(pullImage(store, ref, { session: session(reg.fetch), unpack: true }));
  assert.deepEqual(await store.blobs.list(), []);
  assert.deepEqual(await store.layers.unpacked(), []);
  assert.deepEqual((await store.readIndex()).manifests, []);
}));
