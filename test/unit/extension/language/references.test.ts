import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definitionAt, prepareRename, renameEdits } from '../../../../extension/language/references';
import { applyEdits, withCursor } from './cursor';

// [name, Dockerfile with ¦, expected definition as "line:col-col" (1-based line, 0-based cols)]
const definitions: Array<[string, string, string | undefined]> = [
  ['stage from COPY --from', 'FROM golang AS build\nFROM alpine\nCOPY --from=bu¦ild /a /b\n', '1:15-20'],
  ['stage from FROM', 'FROM golang AS build\nFROM bu¦ild\n', '1:15-20'],
  ['stage from RUN --mount from=', 'FROM golang AS build\nFROM alpine\nRUN --mount=from=bu¦ild,target=/x true\n', '1:15-20'],
  ['ENV from RUN', 'FROM alpine\nENV PORT=80\nRUN echo $PO¦RT\n', '2:4-8'],
  ['latest ENV above the use', 'FROM alpine\nENV A=1\nENV A=2\nRUN echo $¦A\n', '3:4-5'],
  ['global ARG from FROM', 'ARG TAG=1\nFROM alpine:$TA¦G\n', '1:4-7'],
  ['undeclared variable', 'FROM alpine\nRUN echo $HO¦ME\n', undefined],
];

const fmt = (r: { start: { line: number; character: number }; end: { character: number } } | undefined) =>
  r && `${r.start.line + 1}:${r.start.character}-${r.end.character}`;

for (const [name, marked, want] of definitions) {
  test(`definition: ${name}`, () => {
    const { model, pos } = withCursor(marked);
    assert.equal(fmt(definitionAt(model, pos)), want);
  });
}

// [name, Dockerfile with ¦, new name, expected text after the rename]
const renames: Array<[string, string, string, string]> = [
  ['stage everywhere it is used',
    'FROM golang AS build\nRUN make\nFROM alpine\nCOPY --from=build /out /\nRUN --mount=from=build,target=/b true\nFROM bu¦ild AS again\n',
    'compile',
    'FROM golang AS compile\nRUN make\nFROM alpine\nCOPY --from=compile /out /\nRUN --mount=from=compile,target=/b true\nFROM compile AS again\n'],
  ['variable in one stage, not the same name in another',
    'FROM alpine\nENV V¦ER=1\nRUN echo $VER ${VER}\nFROM alpine\nENV VER=2\nRUN echo $VER\n',
    'VERSION',
    'FROM alpine\nENV VERSION=1\nRUN echo $VERSION ${VERSION}\nFROM alpine\nENV VER=2\nRUN echo $VER\n'],
  ['global ARG with its re-imports and FROM uses',
    'ARG TA¦G=1\nFROM alpine:$TAG\nARG TAG\nRUN echo $TAG\nFROM alpine\nRUN echo $TAG\n',
    'VERSION',
    'ARG VERSION=1\nFROM alpine:$VERSION\nARG VERSION\nRUN echo $VERSION\nFROM alpine\nRUN echo $TAG\n'],
  ['ENV inherited by a child stage',
    'FROM alpine AS base\nENV APP¦=/srv\nFROM base\nWORKDIR $APP\n',
    'ROOT',
    'FROM alpine AS base\nENV ROOT=/srv\nFROM base\nWORKDIR $ROOT\n'],
];

for (const [name, marked, newName, want] of renames) {
  test(`rename: ${name}`, () => {
    const { model, pos, text } = withCursor(marked);
    assert.ok(prepareRename(model, pos));
    assert.equal(applyEdits(text, renameEdits(model, pos, newName)), want);
  });
}

test('rename refuses bad names and names the problem', () => {
  const stage = withCursor('FROM golang AS bu¦ild\nFROM alpine AS web\n');
  assert.throws(() => renameEdits(stage.model, stage.pos, '9lives'), /invalid stage name "9lives"/);
  assert.throws(() => renameEdits(stage.model, stage.pos, 'WEB'), /a stage named "WEB" already exists/);
  const v = withCursor('FROM alpine\nENV A¦=1\n');
  assert.throws(() => renameEdits(v.model, v.pos, 'a-b'), /invalid variable name "a-b"/);
});

test('nothing to rename on a plain word or an undeclared variable', () => {
  for (const marked of ['FROM alpine\nRUN ec¦ho\n', 'FROM alpine\nRUN echo $HO¦ME\n']) {
    const { model, pos } = withCursor(marked);
    assert.equal(prepareRename(model, pos), undefined);
  }
});
