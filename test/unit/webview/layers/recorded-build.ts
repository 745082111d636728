// A build event sequence as POST /slipway/build streams it, for the reducer and browser tests:
// FROM, a cached COPY, a RUN that adds files (changes inline), an ENV without a layer, a RUN
// that fails with output on stderr. Log lines come as the builder sends them (one event per line,
// no newline) except one that carries its own, to check both.
import type { BuildEvent } from '../../../../runtime/build/events';
import type { Change } from '../../../../runtime/layer/diff';
import type { LayerChangesWire } from '../../../../webview/layers/protocol';

const range = (line: number, end: number) => ({ start: { line, character: 0 }, end: { line, character: end } });
const id = 'b-1';
const t0 = 1_760_000_000_000;

export const runChanges: Change[] = [
  { kind: 'added', path: '/usr/local/bin/app', type: 'file', size: 1_250_000, mode: 0o755, uid: 0, gid: 0 },
  { kind: 'modified', path: '/etc/passwd', type: 'file', size: 1021, mode: 0o644, uid: 0, gid: 0 },
  { kind: 'deleted', path: '/tmp/build', type: 'directory', size: 0, mode: 0o755, uid: 1000, gid: 1000 },
];

export const copyChanges: Change[] = [
  { kind: 'added', path: '/app', type: 'directory', size: 0, mode: 0o755, uid: 0, gid: 0 },
  { kind: 'added', path: '/app/app.py', type: 'file', size: 2048, mode: 0o644, uid: 0, gid: 0 },
];

export const layers = {
  base: { diffID: 'sha256:aaa1', digest: 'sha256:baa1', size: 900_000, uncompressedSize: 2_000_000, counts: { added: 400, modified: 0, deleted: 0 } },
  copy: { diffID: 'sha256:ccc2', digest: 'sha256:dcc2', size: 1_100, uncompressedSize: 4_096, counts: { added: 2, modified: 0, deleted: 0 } },
  run: { diffID: 'sha256:eee3', digest: 'sha256:fee3', size: 620_000, uncompressedSize: 1_300_000, counts: { added: 1, modified: 1, deleted: 1 }, changes: runChanges },
};

export const failingBuild: BuildEvent[] = [
  {
    type: 'build-start', buildId: id, dockerfile: '/ws/app/Dockerfile', context: '/ws/app', time: t0,
    steps: [
      { index: 0, stage: '0', instruction: 'FROM busybox', range: range(0, 12) },
      { index: 1, stage: '0', instruction: 'COPY . /app', range: range(1, 11) },
      { index: 2, stage: '0', instruction: 'RUN make install', range: range(2, 16) },
      { index: 3, stage: '0', instruction: 'ENV MODE=prod', range: range(3, 13) },
      { index: 4, stage: '0', instruction: 'RUN ./test.sh', range: range(4, 13) },
    ],
  },
  { type: 'step-start', buildId: id, step: 0, time: t0 + 1 },
  { type: 'step-end', buildId: id, step: 0, cached: true, durationMs: 3, layer: layers.base },
  { type: 'step-start', buildId: id, step: 1, time: t0 + 5 },
  { type: 'step-end', buildId: id, step: 1, cached: true, durationMs: 12, layer: layers.copy },
  { type: 'step-start', buildId: id, step: 2, time: t0 + 20 },
  { type: 'step-log', buildId: id, step: 2, stream: 'stdout', text: 'cc -o app main.c' },
  { type: 'step-log', buildId: id, step: 2, stream: 'stdout', text: 'install -m755 app /usr/local/bin\n' },
  { type: 'step-end', buildId: id, step: 2, cached: false, cacheMiss: 'RUN: the layer below changed', durationMs: 1_840, layer: layers.run },
  { type: 'step-start', buildId: id, step: 3, time: t0 + 1_900 },
  { type: 'step-end', buildId: id, step: 3, cached: false, durationMs: 1 },
  { type: 'step-start', buildId: id, step: 4, time: t0 + 1_910 },
  { type: 'step-log', buildId: id, step: 4, stream: 'stderr', text: 'test.sh: assertion failed' },
  { type: 'build-error', buildId: id, step: 4, message: 'RUN ./test.sh: exit code 3', file: '/ws/app/Dockerfile', range: range(4, 13), exitCode: 3 },
];

/** The same build succeeding, up to the last step. */
export const successfulBuild: BuildEvent[] = [
  ...failingBuild.slice(0, -2),
  { type: 'step-log', buildId: id, step: 4, stream: 'stdout', text: 'ok\n' },
  { type: 'step-end', buildId: id, step: 4, cached: false, durationMs: 250 },
  { type: 'build-end', buildId: id, imageId: 'sha256:1234567890abcdef1234', tags: ['app:latest'], durationMs: 2_200 },
];

/** GET /slipway/images/{id}/layers for the successful build. */
export const imageLayers: LayerChangesWire[] = [
  { diffID: layers.base.diffID, digest: layers.base.digest, size: layers.base.size, createdBy: 'ADD rootfs.tar /', changes: [{ kind: 'added', path: '/bin/sh', type: 'file', size: 1_000_000, mode: 0o755, uid: 0, gid: 0 }] },
  { diffID: layers.copy.diffID, digest: layers.copy.digest, size: layers.copy.size, createdBy: 'COPY . /app # buildkit', source: { file: 'Dockerfile', startLine: 2, endLine: 2, step: 1, path: '/ws/app/Dockerfile' }, changes: copyChanges },
  { diffID: layers.run.diffID, digest: layers.run.digest, size: layers.run.size, createdBy: 'RUN /bin/sh -c make install # buildkit', source: { file: 'Dockerfile', startLine: 3, endLine: 5, step: 2 }, changes: runChanges },
];
