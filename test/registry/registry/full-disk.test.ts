// A store on a 1 MiB tmpfs: pulling a 3 MiB image fails with a message about space that names
// the store and the blob, and leaves the store exactly as before. Needs root (mount).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImageStore } from '../../../runtime/image/store';
import { parseReference } from '../../../runtime/image/reference';
import { MediaType, hostPlatform } from '../../../runtime/image/types';
import { noSpecialFs } from '../../../runtime/layer/special-fs';
import { pullImage } from '../../../runtime/registry/pull';
import { pushImage } from '../../../runtime/registry/push';
import { RegistrySession } from '../../../runtime/registry/session';
import { requires } from '../../helpers/tiers';
import { startRegistry, whyNoRegistry } from '../../helpers/registry';

const tier = requires(whyNoRegistry() ?? (process.getuid?.() === 0 ? undefined : 'requires root (tmpfs mount)'));

test('full disk: clear error naming the store and blob, store unchanged', tier, async () => {
  const registry = await startRegistry();
  const session = new RegistrySession();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-full-disk-'));
  const small = path.join(dir, 'small');
  fs.mkdirSync(small);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'slipway-test', small]);
  try {
    const src = await ImageStore.open(path.join(dir, 'src'), { special: noSpecialFs });
    const layer = await src.blobs.put(randomBytes(3 << 20));
    const p = hostPlatform();
    const name = `${registry.host}/full/app:1`;
    await src.putImage({ config: { architecture: p.architecture, os: p.os, rootfs: { type: 'layers', diff_ids: [`sha256:${'3'.repeat(64)}`] } }, layers: [{ mediaType: MediaType.ociLayerGzip, ...layer }], names: [name] });
    await pushImage(src, parseReference(name), { session });

    const store = await ImageStore.open(path.join(small, 'store'), { special: noSpecialFs });
    const before = JSON.stringify({ blobs: await store.blobs.list(), index: await store.readIndex(), ingest: fs.readdirSync(store.blobs.ingestDir) });
    await assert.rejects(pullImage(store, parseReference(name), { session }), (err: Error) => {
      assert.match(err.message, new RegExp(`no space left in the image store ${store.root} while writing blob ${layer.digest}`));
      return true;
    });
    const after = JSON.stringify({ blobs: await store.blobs.list(), index: await store.readIndex(), ingest: fs.readdirSync(store.blobs.ingestDir).filter((n) => !n.endsWith('.lock')) });
    assert.equal(after, before);
  } finally {
    execFileSync('umount', [small]);
    fs.rmSync(dir, { recursive: true, force: true });
    await session.close();
    await registry.stop();
  }
});
