import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBuildEvent, isHostMessage, isWebviewMessage } from '../../../../webview/layers/protocol';
import { failingBuild, imageLayers, successfulBuild } from './recorded-build';

test('every recorded build event is valid', () => {
  for (const e of [...failingBuild, ...successfulBuild]) assert.ok(isBuildEvent(e), e.type);
});

const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } };

// [name, message, valid?]
const hostCases: Array<[string, unknown, boolean]> = [
  ['reset', { type: 'reset', title: 't' }, true],
  ['reset without title', { type: 'reset' }, false],
  ['build event', { type: 'build-event', event: failingBuild[0] }, true],
  ['build event of unknown type', { type: 'build-event', event: { type: 'step-pause', buildId: 'b', step: 1 } }, false],
  ['step-log with a bad stream', { type: 'build-event', event: { type: 'step-log', buildId: 'b', step: 1, stream: 'stdin', text: '' } }, false],
  ['build-start with a step missing its range', { type: 'build-event', event: { type: 'build-start', buildId: 'b', dockerfile: 'D', context: '.', time: 1, steps: [{ index: 0, stage: '0', instruction: 'FROM x' }] } }, false],
  ['step-end with a bad change kind', { type: 'build-event', event: { type: 'step-end', buildId: 'b', step: 0, cached: false, durationMs: 1, layer: { diffID: 'd', digest: 'g', size: 1, uncompressedSize: 1, counts: { added: 0, modified: 0, deleted: 0 }, changes: [{ kind: 'renamed', path: '/', type: 'file', size: 0, mode: 0, uid: 0, gid: 0 }] } } }, false],
  ['image layers', { type: 'image-layers', imageId: 'sha256:x', layers: imageLayers }, true],
  ['image layers with a string size', { type: 'image-layers', imageId: 'sha256:x', layers: [{ ...imageLayers[0], size: '1' }] }, false],
  ['ok response', { type: 'response', requestId: 1, ok: true, layers: imageLayers }, true],
  ['failed response', { type: 'response', requestId: 1, ok: false, error: 'x' }, true],
  ['response without id', { type: 'response', ok: false, error: 'x' }, false],
  ['null', null, false],
  ['array', [], false],
  ['unknown type', { type: 'eval', code: '1' }, false],
];
for (const [name, msg, valid] of hostCases) test(`host message: ${name}`, () => assert.equal(isHostMessage(msg), valid));

const webviewCases: Array<[string, unknown, boolean]> = [
  ['ready', { type: 'ready' }, true],
  ['reveal', { type: 'reveal', dockerfile: '/w/Dockerfile', range }, true],
  ['reveal with a bad range', { type: 'reveal', dockerfile: '/w/Dockerfile', range: { start: 1, end: 2 } }, false],
  ['request layers', { type: 'request-layers', requestId: 3, imageId: 'sha256:a' }, true],
  ['request layers with empty id', { type: 'request-layers', requestId: 3, imageId: '' }, false],
  ['request layers without request id', { type: 'request-layers', imageId: 'sha256:a' }, false],
  ['string', 'ready', false],
];
for (const [name, msg, valid] of webviewCases) test(`webview message: ${name}`, () => assert.equal(isWebviewMessage(msg), valid));
