import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BuildEvent } from '../../../../runtime/build/events';
import { formatMode, formatSize, initialState, LOG_LIMIT, reduce, stepChanges, summary, type Action, type ViewState } from '../../../../webview/layers/state';
import { copyChanges, failingBuild, imageLayers, layers, runChanges, successfulBuild } from './recorded-build';

const fold = (events: BuildEvent[], from: ViewState = initialState('app')): ViewState =>
  events.reduce((s, event) => reduce(s, { type: 'build-event', event }), from);

test('a failing build: cached, done, metadata-only and failed steps with their facts', () => {
  const s = fold(failingBuild);
  assert.equal(s.status, 'failed');
  assert.deepEqual(s.steps.map((x) => x.status), ['cached', 'cached', 'done', 'done', 'failed']);
  assert.equal(s.steps[2].durationMs, 1_840);
  assert.equal(s.steps[2].cacheMiss, 'RUN: the layer below changed');
  assert.deepEqual(s.steps[2].layer, { diffID: layers.run.diffID, size: 620_000, counts: { added: 1, modified: 1, deleted: 1 } });
  assert.equal(s.steps[2].log, 'cc -o app main.c\ninstall -m755 app /usr/local/bin\n');
  assert.equal(s.steps[3].layer, undefined);
  assert.equal(s.steps[4].log, 'test.sh: assertion failed\n');
  assert.equal(s.steps[4].error, 'RUN ./test.sh: exit code 3');
  assert.deepEqual(s.error, { message: 'RUN ./test.sh: exit code 3', step: 4, range: failingBuild[0].type === 'build-start' ? failingBuild[0].steps[4].range : undefined, exitCode: 3 });
  // The failed step's output opens by itself; inline change lists are kept by diffID.
  assert.ok(s.expanded.includes('step:4'));
  assert.deepEqual(stepChanges(s, s.steps[2]), runChanges);
  assert.equal(stepChanges(s, s.steps[1]), undefined);
  assert.deepEqual(summary(s), { steps: 5, cached: 2, size: 900_000 + 1_100 + 620_000 });
});

test('intermediate states: waiting before start, running after step-start', () => {
  const s = fold(failingBuild.slice(0, 6));
  assert.equal(s.status, 'building');
  assert.deepEqual(s.steps.map((x) => x.status), ['cached', 'cached', 'running', 'waiting', 'waiting']);
});

test('a successful build ends with the image, and fetched layers fill the missing change lists', () => {
  let s = fold(successfulBuild);
  assert.equal(s.status, 'done');
  assert.equal(s.imageId, 'sha256:1234567890abcdef1234');
  assert.deepEqual(s.tags, ['app:latest']);
  assert.equal(s.error, undefined);
  s = reduce(s, { type: 'response', requestId: 1, ok: true, layers: imageLayers });
  assert.deepEqual(stepChanges(s, s.steps[1]), copyChanges);
  assert.equal(s.layers?.length, 3);
  assert.equal(s.layers?.[2].createdBy, 'RUN /bin/sh -c make install # buildkit');
  assert.equal((s.layers?.[0] as Record<string, unknown>).changes, undefined, 'change lists are not duplicated in layers');
});

test('events of an older build are ignored; build-start resets', () => {
  const s = fold(failingBuild);
  const stale = reduce(s, { type: 'build-event', event: { type: 'step-log', buildId: 'other', step: 2, stream: 'stdout', text: 'x' } });
  assert.equal(stale, s);
  const restarted = fold(failingBuild.slice(0, 1), s);
  assert.equal(restarted.status, 'building');
  assert.deepEqual(restarted.expanded, []);
  assert.equal(restarted.error, undefined);
});

test('events for unknown steps change nothing', () => {
  const s = fold(failingBuild.slice(0, 1));
  assert.equal(reduce(s, { type: 'build-event', event: { type: 'step-start', buildId: 'b-1', step: 99, time: 0 } }), s);
});

test('step output keeps only the tail beyond the limit', () => {
  let s = fold(failingBuild.slice(0, 6));
  const chunk = 'x'.repeat(40 * 1024);
  for (let i = 0; i < 3; i++) s = reduce(s, { type: 'build-event', event: { type: 'step-log', buildId: 'b-1', step: 2, stream: 'stdout', text: chunk + i } });
  assert.equal(s.steps[2].log.length, LOG_LIMIT);
  assert.ok(s.steps[2].log.endsWith('x2\n'));
  assert.equal(s.steps[2].logTruncated, true);
});

const uiCases: Array<[string, Action[], Partial<ViewState>]> = [
  ['toggle open then closed', [{ type: 'toggle', key: 'step:1', open: true }, { type: 'toggle', key: 'step:1', open: false }], { expanded: [] }],
  ['toggle twice open keeps one key', [{ type: 'toggle', key: 'layer:x', open: true }, { type: 'toggle', key: 'layer:x', open: true }], { expanded: ['layer:x'] }],
  ['select', [{ type: 'select', step: 3 }], { selected: 3 }],
  ['layers loading then failed', [{ type: 'layers-loading' }, { type: 'layers-failed', error: 'boom' }], { layersStatus: { loading: false, error: 'boom' } }],
  ['failed response', [{ type: 'response', requestId: 2, ok: false, error: 'no such image' }], { layersStatus: { loading: false, error: 'no such image' } }],
  ['reset', [{ type: 'toggle', key: 'a', open: true }, { type: 'reset', title: 'other' }], { title: 'other', expanded: [], steps: [] }],
];

for (const [name, actions, want] of uiCases) {
  test(`ui: ${name}`, () => {
    const s = actions.reduce(reduce, initialState());
    for (const [k, v] of Object.entries(want)) assert.deepEqual(s[k as keyof ViewState], v, k);
  });
}

test('image-only view: layers without steps', () => {
  const s = reduce(initialState('busybox'), { type: 'image-layers', imageId: 'sha256:abc', layers: imageLayers });
  assert.equal(s.imageId, 'sha256:abc');
  assert.equal(s.steps.length, 0);
  assert.equal(summary(s).size, imageLayers.reduce((n, l) => n + l.size, 0));
  assert.deepEqual(s.changes[imageLayers[1].diffID], copyChanges);
});

const formats: Array<[string, string, string]> = [
  ['size bytes', formatSize(999), '999 B'],
  ['size kB', formatSize(1_100), '1.1 kB'],
  ['size MB', formatSize(620_000_000), '620 MB'],
  ['mode file', formatMode(0o755, 'file'), '-rwxr-xr-x'],
  ['mode dir', formatMode(0o700, 'directory'), 'drwx------'],
  ['mode symlink', formatMode(0o777, 'symlink'), 'lrwxrwxrwx'],
];
for (const [name, got, want] of formats) test(`format: ${name}`, () => assert.equal(got, want));
