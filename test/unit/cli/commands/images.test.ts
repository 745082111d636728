// Output of the image commands: build progress lines, the images table, layer change lists, diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRenderer } from '../../../../runtime/cli/commands/build';
import { ago, imageTable } from '../../../../runtime/cli/commands/images';
import { renderLayers } from '../../../../runtime/cli/commands/layers';
import { renderChanges } from '../../../../runtime/cli/commands/diff';

const range = { start: { line: 3, character: 0 }, end: { line: 3, character: 9 } };

test('build progress: step header, RUN output, cached and layer counts, miss reason, error with line', () => {
  const r = buildRenderer();
  const out = [
    r({ type: 'build-start', buildId: 'b', dockerfile: '/c/Dockerfile', context: '/c', time: 0, steps: [{ index: 0, stage: 'app', instruction: 'COPY . /app', range }] }),
    r({ type: 'step-start', buildId: 'b', step: 0, time: 0 }),
    r({ type: 'step-log', buildId: 'b', step: 0, stream: 'stdout', text: 'hello' }),
    r({ type: 'step-end', buildId: 'b', step: 0, cached: false, cacheMiss: 'COPY: a.txt changed', durationMs: 1250, layer: { diffID: 'sha256:x', digest: 'sha256:y', size: 2048, uncompressedSize: 4096, counts: { added: 2, modified: 1, deleted: 3 } } }),
    r({ type: 'build-end', buildId: 'b', imageId: 'sha256:0123456789abcdef', tags: ['docker.io/library/app:1'], durationMs: 2000 }),
    r({ type: 'build-error', buildId: 'b', message: 'boom', file: 'docker/app.Dockerfile', range }),
  ].join('');
  assert.equal(out, [
    '[app 1/1] COPY . /app',
    '  │ hello',
    '  => 1.25s, layer 2.05kB (+2 ~1 -3), cache miss: COPY: a.txt changed',
    'Built 0123456789ab in 2.00s',
    'Tagged app:1',
    'ERROR: docker/app.Dockerfile:4: boom',
    '',
  ].join('\n'));
  assert.equal(buildRenderer({ quiet: true })({ type: 'step-start', buildId: 'b', step: 0, time: 0 }), '');
});

test('images table: one row per tag, <none> for dangling, decimal sizes (docker\'s 3 digits) and ages', () => {
  const now = Date.parse('2026-01-01T01:00:00Z');
  const text = imageTable([
    { Id: 'sha256:aaaaaaaaaaaabbbb', RepoTags: ['app:1', 'localhost:5000/app:2'], Created: now / 1000 - 180, Size: 1536 },
    { Id: 'sha256:ccccccccccccdddd', RepoTags: [], Created: now / 1000 - 7200, Size: 10 },
  ], { now });
  assert.equal(text, [
    'REPOSITORY           TAG      IMAGE ID       CREATED         SIZE',
    'app                  1        aaaaaaaaaaaa   3 minutes ago   1.54kB',
    'localhost:5000/app   2        aaaaaaaaaaaa   3 minutes ago   1.54kB',
    '<none>               <none>   cccccccccccc   2 hours ago     10B',
    '',
  ].join('\n'));
  assert.equal(ago(0, 90_000), 'About a minute ago');
});

test('layers and diff render A/C/D marks', () => {
  const text = renderLayers([{ diffID: 'sha256:' + 'a'.repeat(64), digest: 'sha256:b', size: 100, createdBy: 'RUN x', changes: [
    { kind: 'added', path: '/new', type: 'file', size: 5, mode: 0o644, uid: 0, gid: 0 },
    { kind: 'modified', path: '/etc', type: 'directory', size: 0, mode: 0o755, uid: 0, gid: 0 },
    { kind: 'deleted', path: '/old', type: 'file', size: 0, mode: 0, uid: 0, gid: 0 },
  ] }], { limit: 2 });
  assert.equal(text, `Layer 1: ${'a'.repeat(12)}  100B  +1 ~1 -1  RUN x\n  A /new  (5B)\n  C /etc\n  … 1 more\n`);
  assert.equal(renderChanges([{ Path: '/a', Kind: 1 }, { Path: '/b', Kind: 0 }, { Path: '/c', Kind: 2 }]), 'A /a\nC /b\nD /c\n');
});

test('layers show the Dockerfile lines of a built layer; a layer without a source shows none', () => {
  const base = { digest: 'sha256:b', size: 100, changes: [] };
  const text = renderLayers([
    { ...base, diffID: 'sha256:' + 'a'.repeat(64), createdBy: 'ADD rootfs' },
    { ...base, diffID: 'sha256:' + 'c'.repeat(64), createdBy: 'RUN a &&     b', source: { file: 'docker/app.Dockerfile', startLine: 4, endLine: 6, step: 2 } },
    { ...base, diffID: 'sha256:' + 'd'.repeat(64), createdBy: 'COPY x /x', source: { file: 'Dockerfile', startLine: 7, endLine: 7, step: 3 } },
  ]);
  assert.deepEqual(text.trimEnd().split('\n'), [
    `Layer 1: ${'a'.repeat(12)}  100B  +0 ~0 -0  ADD rootfs`,
    `Layer 2: ${'c'.repeat(12)}  100B  +0 ~0 -0  docker/app.Dockerfile:4-6  RUN a &&     b`,
    `Layer 3: ${'d'.repeat(12)}  100B  +0 ~0 -0  Dockerfile:7  COPY x /x`,
  ]);
});
