// Push and pull against a real docker-registry on 127.0.0.1: round trip with the same
// digests, a multi-platform index, Basic and token auth, a fault-injecting proxy, skopeo as
// the referee.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImageStore } from '../../../runtime/image/store';
import { importRootfs } from '../../../runtime/image/import';
import { parseReference } from '../../../runtime/image/reference';
import { MediaType, hostPlatform, type Descriptor, type ImageConfig, type Platform } from '../../../runtime/image/types';
import { noSpecialFs } from '../../../runtime/layer/special-fs';
import { pullImage } from '../../../runtime/registry/pull';
import { pushImage } from '../../../runtime/registry/push';
import { RegistrySession } from '../../../runtime/registry/session';
import type { ProgressEvent } from '../../../runtime/registry/progress';
import { requires } from '../../helpers/tiers';
import { startRegistry, whyNoRegistry } from '../../helpers/registry';
import { startFaultProxy } from '../../helpers/fault-proxy';
import { makeBusyboxRootfs } from '../../helpers/rootfs';

const tier = requires(whyNoRegistry());
const fast = { attempts: 3, baseMs: 10, maxMs: 50 };

async function withStores(fn: (open: (name: string) => Promise<ImageStore>, dir: string) => Promise<void>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-registry-test-'));
  try {
    await fn((name) => ImageStore.open(path.join(dir, name), { special: noSpecialFs }), dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** An image of random layers (the registry and the pull never unpack them). */
async function makeImage(store: ImageStore, name: string, sizes: number[], platform: Platform = hostPlatform()): Promise<{ manifestDigest: string; layers: Descriptor[] }> {
  const layers: Descriptor[] = [];
  for (const size of sizes) layers.push({ mediaType: MediaType.ociLayerGzip, ...(await store.blobs.put(randomBytes(size))) });
  const config: ImageConfig = { architecture: platform.architecture, os: platform.os, ...(platform.variant ? { variant: platform.variant } : {}), rootfs: { type: 'layers', diff_ids: layers.map(() => `sha256:${randomBytes(32).toString('hex')}`) } };
  const image = await store.putImage({ config, layers, names: [name] });
  return { manifestDigest: image.manifestDigest, layers };
}

async function storeSnapshot(store: ImageStore): Promise<string> {
  return JSON.stringify({ blobs: (await store.blobs.list()).sort(), index: await store.readIndex(), ingest: fs.readdirSync(store.blobs.ingestDir).filter((n) => !n.endsWith('.lock')) });
}

test('busybox rootfs: push → pull into an empty store gives the same digests; skopeo copies it with the same manifest digest', tier, async () => {
  const registry = await startRegistry();
  const session = new RegistrySession();
  const rootfs = makeBusyboxRootfs();
  try {
    await withStores(async (open, dir) => {
      const a = await open('a');
      const tar = execFileSync('tar', ['-C', rootfs.path, '-c', '.'], { maxBuffer: 64 << 20 });
      const name = `${registry.host}/test/busybox:1`;
      const { image } = await importRootfs(a, (await import('node:stream')).Readable.from([tar]), { names: [name] });
      const events: ProgressEvent[] = [];
      const pushed = await pushImage(a, parseReference(name), { session, onProgress: (e) => events.push(e), chunkSize: 256 << 10 });
      assert.equal(pushed.manifestDigest, image.manifestDigest);
      assert.ok(events.some((e) => e.status === 'Pushed'), 'a layer was uploaded');
      assert.ok(events.some((e) => e.status.startsWith(`1: digest: ${image.manifestDigest}`)));

      const b = await open('b');
      const pulled = await pullImage(b, parseReference(name), { session });
      assert.equal(pulled.manifestDigest, image.manifestDigest);
      assert.equal(pulled.id, image.id);
      const got = await b.get(name);
      assert.deepEqual(got.manifest.layers.map((l) => l.digest), image.manifest.layers.map((l) => l.digest));

      // Pushing again: every blob already exists.
      const again = await pushImage(a, parseReference(name), { session });
      assert.ok(Object.values(again.blobs).every((o) => o === 'exists'));

      const layout = path.join(dir, 'skopeo');
      execFileSync('skopeo', ['copy', '--src-tls-verify=false', `docker://${name}`, `oci:${layout}:copy`], { stdio: 'pipe' });
      const index = JSON.parse(fs.readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
      // skopeo keeps an OCI manifest byte for byte; a Docker one it converts, so compare after
      // asking skopeo for the digest of what the registry serves.
      const inspect = JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${name}`], { encoding: 'utf8' })) as { Digest: string };
      assert.equal(inspect.Digest, image.manifestDigest);
      assert.equal(index.manifests[0].digest, image.manifestDigest);
    });
  } finally {
    rootfs.cleanup();
    await session.close();
    await registry.stop();
  }
});

test('pull of an unknown tag says "manifest unknown" naming the reference; store unchanged', tier, async () => {
  const registry = await startRegistry();
  const session = new RegistrySession();
  try {
    await withStores(async (open) => {
      const s = await open('s');
      const before = await storeSnapshot(s);
      await assert.rejects(pullImage(s, parseReference(`${registry.host}/nope/missing:7`), { session }), (err: Error & { status?: number }) => {
        assert.match(err.message, /manifest unknown|repository name not known/);
        assert.match(err.message, new RegExp(`${registry.host}/nope/missing:7`));
        assert.equal(err.status, 404);
        return true;
      });
      assert.equal(await storeSnapshot(s), before);
    });
  } finally {
    await session.close();
    await registry.stop();
  }
});

test('a multi-platform index resolves to the host platform; --platform picks another; a missing one lists what exists', tier, async () => {
  const registry = await startRegistry();
  const session = new RegistrySession();
  try {
    await withStores(async (open) => {
      const src = await open('src');
      const platforms: Platform[] = [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, hostPlatform(), { os: 'linux', architecture: 's390x' }];
      const manifests: Descriptor[] = [];
      for (const [i, p] of platforms.entries()) {
        const name = `${registry.host}/multi/app:p${i}`;
        const { manifestDigest } = await makeImage(src, name, [1000 + i]);
        await pushImage(src, parseReference(name), { session });
        const size = (await src.blobs.size(manifestDigest))!;
        manifests.push({ mediaType: MediaType.ociManifest, digest: manifestDigest, size, platform: p });
      }
      const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }));
      const res = await fetch(`http://${registry.host}/v2/multi/app/manifests/all`, { method: 'PUT', body: index, headers: { 'content-type': MediaType.ociIndex } });
      assert.equal(res.status, 201);

      const dst = await open('dst');
      const host = await pullImage(dst, parseReference(`${registry.host}/multi/app:all`), { session });
      assert.equal(host.manifestDigest, manifests[1].digest);
      assert.ok(host.indexDigest);
      const arm = await pullImage(dst, parseReference(`${registry.host}/multi/app:all`), { session, platform: { os: 'linux', architecture: 'arm64' } });
      assert.equal(arm.manifestDigest, manifests[0].digest);
      await assert.rejects(pullImage(dst, parseReference(`${registry.host}/multi/app:all`), { session, platform: { os: 'windows', architecture: 'amd64' } }),
        /no matching manifest for windows\/amd64.*available: linux\/arm64\/v8, .*linux\/s390x/);
    });
  } finally {
    await session.close();
    await registry.stop();
  }
});

test('htpasswd Basic auth: without credentials a clear 401, with them push and pull work, wrong ones are refused', requires(whyNoRegistry({ basic: { username: 'u', password: 'p' } })), async () => {
  const registry = await startRegistry({ basic: { username: 'alice', password: 's3cret-pw' } });
  const anonymous = new RegistrySession();
  const good = new RegistrySession({ credentials: async () => ({ username: 'alice', password: 's3cret-pw' }) });
  const bad = new RegistrySession({ credentials: async () => ({ username: 'alice', password: 'wrong-pw' }) });
  try {
    await withStores(async (open) => {
      const s = await open('s');
      const name = `${registry.host}/private/app:1`;
      const { manifestDigest } = await makeImage(s, name, [5000]);
      await assert.rejects(pushImage(s, parseReference(name), { session: anonymous }), (err: Error & { status?: number }) => err.status === 401 && /requires a login/.test(err.message));
      await pushImage(s, parseReference(name), { session: good });
      await assert.rejects(pullImage(await open('t'), parseReference(name), { session: bad }), (err: Error) => {
        assert.match(err.message, /unauthorized/);
        assert.doesNotMatch(err.message, /wrong-pw|s3cret/);
        return true;
      });
      const pulled = await pullImage(await open('u'), parseReference(name), { session: good });
      assert.equal(pulled.manifestDigest, manifestDigest);
    });
  } finally {
    await Promise.all([anonymous.close(), good.close(), bad.close()]);
    await registry.stop();
  }
});

test('token auth: anonymous pull token, credentialed push token with push scope, wrong password refused', requires(whyNoRegistry({ token: { username: 'u', password: 'p' } })), async () => {
  const registry = await startRegistry({ token: { username: 'bob', password: 'tok-pw', anonymousPull: true } });
  const good = new RegistrySession({ credentials: async () => ({ username: 'bob', password: 'tok-pw' }) });
  const anonymous = new RegistrySession();
  const bad = new RegistrySession({ credentials: async () => ({ username: 'bob', password: 'nope' }) });
  try {
    await withStores(async (open) => {
      const s = await open('s');
      const name = `${registry.host}/team/app:1`;
      const { manifestDigest } = await makeImage(s, name, [3000, 4000]);
      await assert.rejects(pushImage(s, parseReference(name), { session: bad }), /incorrect username or password/);
      await assert.rejects(pushImage(s, parseReference(name), { session: anonymous }), (err: Error & { status?: number }) => err.status === 401);
      await pushImage(s, parseReference(name), { session: good });
      // Both layers met a 401 at once: one token request served them.
      const pushTokens = registry.tokenRequests.filter((r) => r.authorized && r.scope.includes('repository:team/app:pull,push'));
      assert.equal(pushTokens.length, 1, `one pull,push token for the push: ${JSON.stringify(registry.tokenRequests)}`);
      const pulled = await pullImage(await open('t'), parseReference(name), { session: anonymous });
      assert.equal(pulled.manifestDigest, manifestDigest);
      // One token per scope: the layers of the pull did not each fetch a new token.
      const anonymousPulls = registry.tokenRequests.filter((r) => !r.authorized && r.scope.join(' ') === 'repository:team/app:pull');
      assert.equal(anonymousPulls.length, 1, JSON.stringify(registry.tokenRequests));
    });
  } finally {
    await Promise.all([anonymous.close(), good.close(), bad.close()]);
    await registry.stop();
  }
});

test('fault proxy: a corrupted blob fails naming the digest and leaves the store unchanged; a cut download resumes with Range; a 503 is retried', tier, async () => {
  const registry = await startRegistry();
  const proxy = await startFaultProxy(registry.host);
  const session = new RegistrySession({ retry: fast });
  try {
    await withStores(async (open) => {
      const src = await open('src');
      const viaProxy = parseReference(`${proxy.host}/faults/app:1`);
      const { manifestDigest, layers } = await makeImage(src, `${proxy.host}/faults/app:1`, [3 << 20, 200_000]);
      // Pushed through the proxy to see the requests: the 3 MiB layer in 1 MiB PATCH chunks,
      // the small one as one monolithic PUT.
      await pushImage(src, viaProxy, { session, chunkSize: 1 << 20 });
      assert.equal(proxy.log.filter((l) => l.method === 'PATCH').length, 3);
      const puts = proxy.log.filter((l) => l.method === 'PUT' && l.path.includes('/blobs/uploads/'));
      assert.ok(puts.some((l) => l.path.includes(`digest=${encodeURIComponent(layers[1].digest)}`) || l.path.includes(`digest=${layers[1].digest}`)));

      const s = await open('s');
      const before = await storeSnapshot(s);
      proxy.faults.corrupt = layers[1].digest;
      await assert.rejects(pullImage(s, viaProxy, { session }), (err: Error) => {
        assert.match(err.message, new RegExp(`digest mismatch for blob ${layers[1].digest}`));
        return true;
      });
      assert.equal(await storeSnapshot(s), before, 'no blob, partial or name left behind');
      proxy.faults.corrupt = undefined;

      proxy.faults.cutOnce = layers[0].digest;
      proxy.faults.fail503Once = `/manifests/1`;
      proxy.log.length = 0;
      const pulled = await pullImage(s, viaProxy, { session });
      assert.equal(pulled.manifestDigest, manifestDigest);
      const gets = proxy.log.filter((l) => l.method === 'GET' && l.path.includes(layers[0].digest));
      assert.equal(gets.length, 2, 'the cut blob was asked for twice');
      assert.match(gets[1].range ?? '', /^bytes=[1-9]\d*-$/, 'the second request resumed with Range');
      assert.equal(proxy.log.filter((l) => l.path.endsWith('/manifests/1')).length, 2, 'the 503 was retried');
      assert.equal((await s.blobs.read(layers[0].digest)).length, 3 << 20);
    });
  } finally {
    await session.close();
    await proxy.stop();
    await registry.stop();
  }
});

test('push to a second repository of the same registry mounts the blobs instead of uploading', tier, async () => {
  const registry = await startRegistry();
  const session = new RegistrySession();
  try {
    await withStores(async (open) => {
      const s = await open('s');
      const first = `${registry.host}/one/app:1`;
      const { layers } = await makeImage(s, first, [10_000]);
      await pushImage(s, parseReference(first), { session });
      const second = `${registry.host}/two/app:1`;
      await s.tag(first, second);
      const events: ProgressEvent[] = [];
      const result = await pushImage(s, parseReference(second), { session, onProgress: (e) => events.push(e) });
      assert.equal(result.blobs[layers[0].digest], 'mounted');
      assert.ok(events.some((e) => e.status === 'Mounted from one/app'));
    });
  } finally {
    await session.close();
    await registry.stop();
  }
});

test('two pulls of the same image into one store at once: both succeed, one download per layer', tier, async () => {
  const registry = await startRegistry();
  const proxy = await startFaultProxy(registry.host);
  const session = new RegistrySession();
  try {
    await withStores(async (open) => {
      const src = await open('src');
      const name = `${proxy.host}/same/app:1`;
      const { manifestDigest, layers } = await makeImage(src, name, [2 << 20, 1 << 20]);
      await pushImage(src, parseReference(name), { session });
      proxy.log.length = 0;
      const s = await open('s');
      const [a, b] = await Promise.all([pullImage(s, parseReference(name), { session }), pullImage(s, parseReference(name), { session })]);
      assert.equal(a.manifestDigest, manifestDigest);
      assert.equal(b.manifestDigest, manifestDigest);
      for (const l of layers) assert.equal(proxy.log.filter((e) => e.method === 'GET' && e.path.endsWith(l.digest)).length, 1, `one GET of ${l.digest}`);
      assert.equal((await s.get(name)).manifestDigest, manifestDigest);
    });
  } finally {
    await session.close();
    await proxy.stop();
    await registry.stop();
  }
});
