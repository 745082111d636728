// A 120-layer image runs: the overlay's lower dirs go by the image store's short `l/` links
// (as Docker's overlay2), so the mount options fit in a page; by their real paths
// (layers/<64 hex>/diff) 120 layers would not. The image is made directly in the store: the
// busybox import plus 119 one-file layers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ImageStore } from '../../../runtime/image/store';
import { privileged } from '../../helpers/tiers';
import { IMAGE, mountsUnder, sandbox, type Sandbox } from './harness';

const TALL = 'slipway-test/tall:latest';
const EXTRA = 119;
let box: Sandbox;

before(async () => {
  if (process.getuid?.() !== 0) return;
  box = await sandbox();
  const store = await ImageStore.open(path.join(box.state, 'image'));
  const base = await store.get(IMAGE);
  const layers = [...base.manifest.layers];
  const diffIDs = [...base.config.rootfs.diff_ids];
  for (let i = 1; i <= EXTRA; i++) {
    const body = Buffer.from(`${i}\n`);
    const items = [
      { entry: { path: 'layers', type: 'directory' as const, mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0 } },
      { entry: { path: `layers/${i}`, type: 'file' as const, mode: 0o644, uid: 0, gid: 0, size: body.length, mtime: 0 }, stream: async () => [body] },
      // Every layer rewrites the same file: the top one must win.
      { entry: { path: 'top', type: 'file' as const, mode: 0o644, uid: 0, gid: 0, size: body.length, mtime: 0 }, stream: async () => [body] },
    ];
    const rec = await store.layers.create(items);
    layers.push(store.layers.descriptor(rec));
    diffIDs.push(rec.diffID);
  }
  await store.putImage({ config: { ...base.config, rootfs: { type: 'layers', diff_ids: diffIDs }, history: [] }, layers, names: [TALL] });
  box.startService();
});
after(async () => { await box?.cleanup(); });

test('a 120-layer image runs, every layer visible, the top one wins', privileged, () => {
  const r = box.slipway('run', '--rm', TALL, 'sh', '-c', 'ls /layers | wc -l; cat /top /layers/1 /bin/busybox >/dev/null && cat /top');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.replace(/ +/g, ''), `${EXTRA}\n${EXTRA}\n`);
  const links = fs.readdirSync(path.join(box.state, 'image', 'l'));
  assert.ok(links.length >= EXTRA + 1, `${links.length} links`);
  assert.deepEqual(mountsUnder(box.dir), []);
});
