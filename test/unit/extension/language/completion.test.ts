import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionsAt, imageNamesFrom } from '../../../../extension/language/completion';
import { withCursor } from './cursor';

// [name, Dockerfile with ¦, labels that must be offered, labels that must not]
const cases: Array<[string, string, string[], string[]]> = [
  ['instructions at line start', 'FROM alpine\nRU¦', ['RUN', 'COPY', 'HEALTHCHECK'], []],
  ['no instructions on a continuation line', 'FROM alpine\nRUN a \\\n  ¦', [], ['RUN']],
  ['ONBUILD triggers exclude FROM', 'FROM alpine\nONBUILD ¦', ['RUN', 'COPY'], ['FROM', 'ONBUILD', 'MAINTAINER']],
  ['flags of COPY', 'FROM alpine\nCOPY --¦', ['--from', '--chown', '--link', '--parents', '--exclude'], ['--mount']],
  ['flags of RUN after a flag', 'FROM alpine\nRUN --network=none --¦', ['--mount', '--security'], ['--from']],
  ['no flags after the first argument', 'FROM alpine\nCOPY a --¦', [], ['--from']],
  ['stages after --from=', 'FROM golang AS build\nFROM node AS web\nFROM alpine\nCOPY --from=¦', ['build', 'web'], []],
  ['only earlier stages', 'FROM golang AS build\nCOPY --from=¦\nFROM node AS later\n', [], ['build', 'later']],
  ['stages after mount from=', 'FROM golang AS build\nFROM alpine\nRUN --mount=type=bind,from=¦', ['build'], []],
  ['variables after $', 'ARG G=1\nFROM alpine\nARG V\nENV E=2\nRUN echo $¦', ['V', 'E'], ['G']],
  ['variables after ${ with a prefix', 'FROM alpine\nENV EDITOR=vi ENABLE=1\nRUN echo ${E¦', ['EDITOR', 'ENABLE'], []],
  ['global ARGs and automatic ones in FROM', 'ARG BASE=alpine\nFROM ${¦', ['BASE', 'TARGETPLATFORM'], []],
  ['variables declared later are not offered', 'FROM alpine\nRUN echo $¦\nENV LATE=1\n', [], ['LATE']],
  ['--network values', 'FROM alpine\nRUN --network=n¦', ['none', 'host', 'default'], []],
  ['--mount types', 'FROM alpine\nRUN --mount=type=¦', ['cache', 'bind', 'tmpfs', 'secret', 'ssh'], []],
  ['--mount options of the type, minus those used', 'FROM alpine\nRUN --mount=type=cache,target=/x,¦', ['id', 'sharing'], ['target', 'type', 'size']],
  ['--mount sharing values', 'FROM alpine\nRUN --mount=type=cache,sharing=¦', ['locked', 'shared', 'private'], []],
  ['FROM offers local images and earlier stages', 'FROM golang AS build\nFROM ¦', ['build', 'busybox:latest', 'busybox'], []],
];

const images = imageNamesFrom([{ RepoTags: ['busybox:latest', 'registry.local:5000/app:1'] }, { RepoTags: ['<none>:<none>'] }, { RepoTags: null }]);

for (const [name, marked, want, not] of cases) {
  test(`completion: ${name}`, () => {
    const { model, pos } = withCursor(marked);
    const labels = completionsAt(model, pos, images).map((i) => i.label);
    for (const l of want) assert.ok(labels.includes(l), `missing ${l} in ${labels.join(', ')}`);
    for (const l of not) assert.ok(!labels.includes(l), `unexpected ${l} in ${labels.join(', ')}`);
    if (want.length === 0) assert.deepEqual(labels.filter((l) => not.includes(l)), []);
  });
}

test('image names: tags, repositories, no <none>', () => {
  assert.deepEqual(images.sort(), ['busybox', 'busybox:latest', 'registry.local:5000/app', 'registry.local:5000/app:1']);
  assert.deepEqual(imageNamesFrom({ message: 'not a list' }), []);
});

test('instruction items are snippets replacing the typed prefix', () => {
  const { model, pos } = withCursor('FROM alpine\n  wor¦');
  const item = completionsAt(model, pos).find((i) => i.label === 'WORKDIR');
  assert.ok(item?.snippet);
  assert.match(item.insertText, /^WORKDIR \$\{1:/);
  assert.deepEqual(item.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
});

test('a value flag inserts "=" and a boolean flag does not', () => {
  const { model, pos } = withCursor('FROM alpine\nCOPY --¦');
  const items = completionsAt(model, pos);
  assert.equal(items.find((i) => i.label === '--from')?.insertText, '--from=');
  assert.equal(items.find((i) => i.label === '--link')?.insertText, '--link');
});
