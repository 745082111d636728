import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImageStore } from '../../../runtime/image/store';
import { imageLayerChanges } from '../../../runtime/image/layer-changes';
import { noSpecialFs } from '../../../runtime/layer/special-fs';
import { tarStream } from '../../../runtime/layer/writer';
import type { TarEntry } from '../../../runtime/layer/tar-header';

const e = (p: string, type: TarEntry['type'] = 'file', size = 0): { entry: TarEntry; stream?: () => Promise<Buffer[]> } => ({
  entry: { path: p, type, mode: type === 'directory' ? 0o755 : 0o644, uid: 0, gid: 0, size, mtime: 0 },
  ...(type === 'file' ? { stream: async () => [Buffer.alloc(size, 1)] } : {}),
});

test('change lists of layers that came from tars: added, modified, deleted by whiteout and by opaque dir', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-lc-'));
  try {
    const s = await ImageStore.open(dir, { special: noSpecialFs });
    const l1 = await s.layers.fromTar(tarStream([e('etc', 'directory'), e('etc/a', 'file', 3), e('etc/b'), e('var', 'directory'), e('var/x'), e('var/y')]));
    const l2 = await s.layers.fromTar(tarStream([e('etc', 'directory'), e('etc/.wh.a'), e('etc/b', 'file', 7), e('var', 'directory'), e('var/.wh..wh..opq'), e('var/z'), e('new')]));
    await s.putImage({
      config: { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [l1.diffID, l2.diffID] }, history: [{ created_by: 'ADD rootfs' }, { created_by: 'ENV A=1', empty_layer: true }, { created_by: 'RUN change' }] },
      layers: [s.layers.descriptor(l1), s.layers.descriptor(l2)],
      names: ['lc'],
    });
    const layers = await imageLayerChanges(s, 'lc');
    assert.deepEqual(layers.map((l) => l.createdBy), ['ADD rootfs', 'RUN change'], 'empty-layer history entries are skipped');
    assert.deepEqual(layers[0].changes.map((c) => `${c.kind} ${c.path}`), ['added /etc', 'added /etc/a', 'added /etc/b', 'added /var', 'added /var/x', 'added /var/y']);
    assert.deepEqual(layers[1].changes.map((c) => `${c.kind} ${c.path}`).sort(), ['added /new', 'added /var/z', 'deleted /etc/a', 'deleted /var/x', 'deleted /var/y', 'modified /etc', 'modified /etc/b', 'modified /var'].sort());
    assert.equal(layers[1].changes.find((c) => c.path === '/etc/a')?.size, 3, 'a deletion reports what was deleted');
    assert.equal(layers[1].uncompressedSize, l2.uncompressedSize);
    assert.deepEqual((await s.layers.record(l2.diffID))?.changes, layers[1].changes, 'computed once, cached in the record');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
