import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverAt } from '../../../../extension/language/hover';
import { withCursor } from './cursor';

// [name, Dockerfile with ¦ at the cursor, substrings the hover must contain (none = no hover)]
const cases: Array<[string, string, string[]]> = [
  ['instruction keyword', 'FROM alpine\nRU¦N echo hi\n', ['**RUN**', 'https://docs.docker.com/reference/dockerfile/#run']],
  ['lower-case keyword', 'from alpine\nwork¦dir /app\n', ['**WORKDIR**']],
  ['flag of COPY', 'FROM alpine\nCOPY --ch¦own=app:app . /\n', ['COPY --chown', 'Owner']],
  ['flag of RUN', 'FROM alpine\nRUN --mo¦unt=type=cache,target=/x true\n', ['RUN --mount', 'type=cache']],
  ['ENV value resolved through ARG', 'FROM alpine\nARG V=1.2\nENV FULL=app-${V}\nRUN echo $FU¦LL\n', ['`$FULL`', '`app-1.2`', 'ENV on line 3']],
  ['global ARG in FROM', 'ARG TAG=3.19\nFROM alpine:${T¦AG}\n', ['`3.19`', 'global build argument']],
  ['bare ARG in a stage takes the global default', 'ARG TAG=3.19\nFROM alpine\nARG TAG\nRUN echo $T¦AG\n', ['`3.19`', 'ARG on line 3']],
  ['global ARG not visible in a stage', 'ARG TAG=3.19\nFROM alpine\nRUN echo $T¦AG\n', ['not set by this Dockerfile']],
  ['value at that line, not the last one', 'FROM alpine\nENV A=1\nRUN echo $¦A\nENV A=2\n', ['`1`']],
  ['ENV inherited from the parent stage', 'FROM alpine AS base\nENV HOME=/srv\nFROM base\nWORKDIR $HO¦ME\n', ['`/srv`']],
  ['declaration shows its own value', 'FROM alpine\nENV A=x B=${A}y\nENV ¦B2=z\n', ['`z`']],
  ['modifiers are applied when resolving', 'FROM alpine\nARG SET=yes\nENV A=${NOPE:-fallback}-${SET:+on}\nRUN echo $¦A\n', ['`fallback-on`']],
  ['backtick escape directive', '# escape=`\nFROM alpine\nENV P=C:\\app\nWORKDIR $¦P\n', ['`C:\\app`']],
  ['ARG without default', 'FROM alpine\nARG TOKEN\nRUN echo $TO¦KEN\n', ['no default']],
  ['stage name in COPY --from', 'FROM golang AS build\nFROM alpine\nCOPY --from=bu¦ild /out /\n', ['stage `build`', 'FROM golang']],
  ['plain argument', 'FROM alpine\nRUN echo hel¦lo\n', []],
];

for (const [name, marked, want] of cases) {
  test(`hover: ${name}`, () => {
    const { model, pos } = withCursor(marked);
    const h = hoverAt(model, pos);
    if (want.length === 0) return assert.equal(h, undefined);
    assert.ok(h, 'no hover');
    for (const s of want) assert.ok(h.markdown.includes(s), `hover lacks ${JSON.stringify(s)}:\n${h.markdown}`);
  });
}

test('hover range covers the whole variable name', () => {
  const { model, pos } = withCursor('FROM alpine\nENV LONGNAME=1\nRUN echo ${LON¦GNAME}\n');
  assert.deepEqual(hoverAt(model, pos)?.range, { start: { line: 2, character: 11 }, end: { line: 2, character: 19 } });
});
