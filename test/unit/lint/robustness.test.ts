// The linter runs on every keystroke, so half-typed and odd input must never throw: BuildKit's
// parser corpus (odd escapes, broken JSON, empty files) and a table of partial Dockerfiles.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { lint } from '../../../runtime/lint/index';

const PARSER = '/work/shared/corpora/buildkit-parser';
const corpus = ['testfiles', 'testfiles-negative'].flatMap((d) => readdirSync(path.join(PARSER, d)).map((c) => path.join(PARSER, d, c, 'Dockerfile')))
  .filter((f) => existsSync(f));

test('every Dockerfile of the BuildKit parser corpus lints without an exception', () => {
  assert.ok(corpus.length >= 30);
  for (const file of corpus) {
    const findings = lint(readFileSync(file, 'utf8'), { config: { severities: { DL1001: 'info', DL3057: 'info', InvalidDefinitionDescription: 'info' } } });
    for (const f of findings) assert.ok(!f.message.startsWith(`lint rule ${f.code} failed`), `${file}: ${f.message}`);
  }
});

const PARTIAL = [
  '', '\n\n', '# only a comment', 'FROM', 'FROM ', 'RUN', 'FROM alpine\nRUN', 'FROM alpine\nRUN \\', 'FROM alpine\nRUN apt-get install \\\n',
  'FROM alpine\nRUN <<EOF\necho unterminated', 'FROM alpine\nCOPY <<EOF /x\n', 'FROM alpine AS', 'FROM alpine AS \n', 'FROM --platform= alpine',
  'FROM alpine\nENV', 'FROM alpine\nENV A', 'FROM alpine\nENV =x', 'FROM alpine\nARG', 'FROM alpine\nLABEL', 'FROM alpine\nLABEL "a b"=',
  'FROM alpine\nEXPOSE', 'FROM alpine\nEXPOSE :/', 'FROM alpine\nONBUILD', 'FROM alpine\nONBUILD ONBUILD', 'FROM alpine\nHEALTHCHECK', 'FROM alpine\nHEALTHCHECK CMD',
  'FROM alpine\nCMD [', 'FROM alpine\nCMD ["a", ', 'FROM alpine\nSHELL [', 'FROM alpine\nWORKDIR', 'FROM alpine\nUSER', 'FROM alpine\nCOPY --from= a b',
  'FROM alpine\nRUN --mount= true', 'FROM alpine\nRUN echo "unterminated', "FROM alpine\nRUN echo 'x", 'FROM alpine\nRUN echo $(', 'FROM alpine\nRUN case x in',
  'FROM ${', 'ARG A=${\nFROM $A', 'FROM alpine\nUNKNOWN instruction', '\uFEFFFROM alpine', 'FROM alpine\r\nRUN a \\\r\n\r\n b\r\n', '# escape=`\nFROM a\nRUN b `\n',
  'FROM alpine\nRUN a \\ \n  \\\n', 'from a\nrun b\nFROM c AS C\n',
];
for (const [i, src] of PARTIAL.entries()) {
  test(`partial input ${i}: ${JSON.stringify(src).slice(0, 40)}`, () => {
    const findings = lint(src);
    for (const f of findings) {
      assert.ok(!f.message.startsWith(`lint rule ${f.code} failed`), f.message);
      assert.ok(f.range.start.line >= 0 && f.range.end.line >= f.range.start.line, `${f.code} range`);
    }
  });
}
