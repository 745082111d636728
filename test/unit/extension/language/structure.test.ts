// Document symbols and folding ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../../../extension/language/model';
import { documentSymbols } from '../../../../extension/language/symbols';
import { foldingRanges } from '../../../../extension/language/folding';

const DOCKERFILE = [
  '# syntax=docker/dockerfile:1', // 0
  'ARG BASE=alpine',              // 1
  'FROM golang AS build',         // 2
  '# build the binary',           // 3
  '# with cache',                 // 4
  'RUN --mount=type=cache,target=/root/.cache \\', // 5
  '    go build -o /out/app .',   // 6
  'FROM ${BASE}',                 // 7
  'COPY <<EOF /etc/motd',         // 8
  'hello',                        // 9
  'world',                        // 10
  'EOF',                          // 11
  'COPY --from=build /out/app /app', // 12
  'CMD ["/app"]',                 // 13
].join('\n');

test('symbols: global ARGs, then stages with their instructions', () => {
  const syms = documentSymbols(buildModel(DOCKERFILE));
  assert.deepEqual(syms.map((s) => [s.kind, s.name, s.detail, s.range.start.line, s.range.end.line]), [
    ['instruction', 'ARG', 'BASE=alpine', 1, 1],
    ['stage', 'build', 'FROM golang', 2, 6],
    ['stage', 'stage 1', 'FROM ${BASE}', 7, 13],
  ]);
  assert.deepEqual(syms[1].children.map((c) => [c.name, c.detail]), [['RUN', '--mount=type=cache,target=/root/.cache go build -o /out/app…']]);
  assert.deepEqual(syms[2].children.map((c) => c.name), ['COPY', 'COPY', 'CMD']);
  assert.deepEqual(syms[1].selectionRange, { start: { line: 2, character: 15 }, end: { line: 2, character: 20 } });
});

test('folding: stages, multi-line instructions, heredocs, comment blocks', () => {
  const folds = foldingRanges(buildModel(DOCKERFILE)).map((f) => `${f.start}-${f.end}${f.kind ? ` ${f.kind}` : ''}`);
  assert.deepEqual(folds.sort(), ['2-6', '3-4 comment', '5-6', '7-13', '8-11'].sort());
});
