// The layer source on the preview's wire: checked like every host message, and turned into
// the reveal request "go to instruction" sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHostMessage, isLayerChanges, revealOfSource } from '../../../../webview/layers/protocol';
import { imageLayers } from './recorded-build';

const layer = imageLayers[1];
const cases: Array<[string, unknown, boolean]> = [
  ['a layer with a source', layer, true],
  ['a layer without one (an imported layer, an older service)', { ...layer, source: undefined }, true],
  ['0-based lines', { ...layer, source: { ...layer.source, startLine: 0 } }, false],
  ['end before start', { ...layer, source: { ...layer.source, startLine: 4, endLine: 3 } }, false],
  ['a source without a file', { ...layer, source: { startLine: 1, endLine: 1, step: 0 } }, false],
  ['a path that is not a string', { ...layer, source: { ...layer.source, path: 7 } }, false],
];
for (const [name, v, want] of cases) {
  test(`layer on the wire: ${name} → ${want}`, () => {
    assert.equal(isLayerChanges(v), want);
    assert.equal(isHostMessage({ type: 'image-layers', imageId: 'sha256:x', layers: [v] }), want);
  });
}

test('reveal of a source: whole lines, 0-based; the absolute path when known, else the name', () => {
  assert.deepEqual(revealOfSource({ file: 'Dockerfile', startLine: 3, endLine: 5, step: 2, path: '/ws/app/Dockerfile' }),
    { dockerfile: '/ws/app/Dockerfile', range: { start: { line: 2, character: 0 }, end: { line: 5, character: 0 } } });
  assert.deepEqual(revealOfSource({ file: 'ci/app.Dockerfile', startLine: 1, endLine: 1, step: 0 }),
    { dockerfile: 'ci/app.Dockerfile', range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } } });
});
