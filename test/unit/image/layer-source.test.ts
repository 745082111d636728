// The instruction a layer was made by, kept in its record: written from a step's range, served
// with the change list, and records without it (written before it existed) or with a garbled
// one still load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImageStore } from '../../../runtime/image/store';
import { formatLayerSource, imageLayerChanges, layerSourceOf, type DockerfileSource } from '../../../runtime/image/layer-changes';
import { dockerfileSource } from '../../../runtime/build/executor/report';
import { noSpecialFs } from '../../../runtime/layer/special-fs';

const range = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });
const TMP = '/state/build-tmp';

const sourceCases: Array<{ name: string; context: string; dockerfile: string; range: ReturnType<typeof range>; want: DockerfileSource }> = [
  { name: 'one line, the user\'s own context', context: '/src/app', dockerfile: '/src/app/Dockerfile', range: range(3, 0, 3, 12),
    want: { file: 'Dockerfile', startLine: 4, endLine: 4, step: 2, path: '/src/app/Dockerfile' } },
  { name: 'a RUN continued over three lines', context: '/src/app', dockerfile: '/src/app/ci/app.Dockerfile', range: range(3, 0, 5, 9),
    want: { file: 'ci/app.Dockerfile', startLine: 4, endLine: 6, step: 2, path: '/src/app/ci/app.Dockerfile' } },
  { name: 'a range ending at column 0 of the next line stops before it', context: '/src/app', dockerfile: '/src/app/Dockerfile', range: range(3, 0, 6, 0),
    want: { file: 'Dockerfile', startLine: 4, endLine: 6, step: 2, path: '/src/app/Dockerfile' } },
  { name: 'an uploaded context (Docker\'s /build): no path, the name only', context: `${TMP}/ctx-1a2b`, dockerfile: `${TMP}/ctx-1a2b/Dockerfile`, range: range(0, 0, 0, 5),
    want: { file: 'Dockerfile', startLine: 1, endLine: 1, step: 2 } },
];
for (const c of sourceCases) {
  test(`layer source: ${c.name}`, () => {
    assert.deepEqual(dockerfileSource({ context: c.context, dockerfile: c.dockerfile }, c.range, 2, TMP), c.want);
  });
}

test('layer source: shown as Dockerfile:4 or Dockerfile:4-6', () => {
  assert.equal(formatLayerSource({ file: 'Dockerfile', startLine: 4, endLine: 4, step: 0 }), 'Dockerfile:4');
  assert.equal(formatLayerSource({ file: 'a/b.Dockerfile', startLine: 4, endLine: 6, step: 0 }), 'a/b.Dockerfile:4-6');
});

const garbled: Array<[string, unknown]> = [
  ['absent (a record written before sources)', undefined],
  ['not an object', 'Dockerfile:3'],
  ['0-based lines', { file: 'Dockerfile', startLine: 0, endLine: 0, step: 0 }],
  ['end before start', { file: 'Dockerfile', startLine: 5, endLine: 4, step: 0 }],
  ['no file', { startLine: 1, endLine: 1, step: 0 }],
  ['a negative step', { file: 'Dockerfile', startLine: 1, endLine: 1, step: -1 }],
];
for (const [name, v] of garbled) {
  test(`layer source in a record: ${name} → none`, () => {
    assert.equal(layerSourceOf(v), undefined);
  });
}

test('GET /slipway/images/{id}/layers data: the source kept in the record comes with the layer; a record without one still loads', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-src-'));
  try {
    const s = await ImageStore.open(dir, { special: noSpecialFs });
    const file = (p: string) => ({ entry: { path: p, type: 'file' as const, mode: 0o644, uid: 0, gid: 0, size: 1, mtime: 0 }, stream: async () => [Buffer.from('x')] });
    const change = (p: string) => ({ kind: 'added' as const, path: `/${p}`, type: 'file' as const, size: 1, mode: 0o644, uid: 0, gid: 0 });
    const old = await s.layers.create([file('a')], { changes: [change('a')] });
    const built = await s.layers.create([file('b')], { changes: [change('b')] });
    const source: DockerfileSource = { file: 'Dockerfile', startLine: 3, endLine: 5, step: 1, path: '/src/app/Dockerfile' };
    await s.layers.putRecord({ ...built, source });
    await s.putImage({
      config: { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [old.diffID, built.diffID] }, history: [{ created_by: 'ADD a /' }, { created_by: 'RUN x' }] },
      layers: [s.layers.descriptor(old), s.layers.descriptor(built)],
      names: ['src'],
    });
    const layers = await imageLayerChanges(s, 'src');
    assert.equal(layers[0].source, undefined);
    assert.deepEqual(layers[0].changes.map((c) => c.path), ['/a']);
    assert.deepEqual(layers[1].source, source);
    assert.equal(layers[1].createdBy, 'RUN x');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
