// The Dockerfile grammar: every fixture in syntaxes/fixtures/ is a Dockerfile with scope
// assertions (format in ./scopes.ts), tokenised by the same engine VS Code uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { checkFixture, grammarPath, parseFixture, tokenize, vscodeGrammars } from './scopes';

const fixtures = path.resolve(__dirname, '..', '..', '..', 'syntaxes', 'fixtures');

test('the committed grammar JSON is what syntaxes/grammar.mjs generates', async () => {
  const { buildGrammar } = await import('../../../syntaxes/grammar.mjs');
  assert.deepEqual(JSON.parse(readFileSync(grammarPath, 'utf8')), buildGrammar(), 'run `node syntaxes/grammar.mjs`');
});

const files = readdirSync(fixtures).filter((f) => f.endsWith('.Dockerfile')).sort();
test('fixtures exist', () => assert.ok(files.length >= 6, `only ${files.length} fixtures in ${fixtures}`));

for (const file of files) {
  test(`grammar fixture ${file}`, async () => {
    const { failures, count } = await checkFixture(readFileSync(path.join(fixtures, file), 'utf8'));
    assert.ok(count > 0, `${file} has no assertions`);
    assert.deepEqual(failures, []);
  });
}

test('the fixture parser reads carets and <- markers', () => {
  const { lines, assertions } = parseFixture('RUN a\n# <-- x.y - z\n#   ^ w\n');
  assert.deepEqual(lines, ['RUN a']);
  assert.deepEqual(assertions.map((a) => [a.line, a.from, a.to, a.want, a.unwanted]),
    [[0, 0, 2, ['x.y'], ['z']], [0, 4, 5, ['w'], []]]);
});

// Line endings and trailing whitespace must not change where an instruction ends.
for (const [name, text] of [
  ['LF', 'RUN a \\\n  b\nUSER c'],
  ['CRLF', 'RUN a \\\r\n  b\r\nUSER c'],
  ['trailing spaces after the escape', 'RUN a \\  \n  b\nUSER c'],
  ['comment and blank line inside', 'RUN a \\\n# note\n\n  b\nUSER c'],
] as const) {
  test(`continuation with ${name}`, async () => {
    const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
    const tokens = await tokenize(lines);
    const last = tokens[lines.length - 1][0];
    const body = tokens[lines.length - 2].find((t) => t.text.trim() === 'b');
    assert.ok(body?.scopes.includes('meta.instruction.run.dockerfile'), `"b" is outside RUN: ${JSON.stringify(body)}`);
    assert.ok(last.scopes.includes('meta.instruction.user.dockerfile'), `USER still inside RUN: ${last.scopes.join(' ')}`);
  });
}

// With VS Code's real shell and Python grammars: the embedded code is highlighted by them, and
// code they cannot close (an unbalanced quote) never swallows the next instruction.
const embedded = vscodeGrammars();
test('embedded shell and python use VS Code\'s grammars and stay contained', { skip: embedded ? undefined : 'code-server is not installed (test/editor/setup.sh)' }, async () => {
  const lines = ['FROM alpine', 'RUN echo "unbalanced && cat', 'USER app', 'RUN python3 <<PY', 'import os', 'PY', 'CMD if true; then echo; fi'];
  const tokens = await tokenize(lines, true);
  const scopesOf = (line: number, text: string) => tokens[line].find((t) => t.text.includes(text))?.scopes ?? [];
  assert.ok(scopesOf(1, 'echo').some((s) => s.endsWith('.shell')), `echo: ${scopesOf(1, 'echo').join(' ')}`);
  assert.ok(scopesOf(2, 'USER').includes('keyword.other.special-method.dockerfile'), 'USER swallowed by the shell string');
  assert.ok(scopesOf(4, 'import').some((s) => s.endsWith('.python')), `import: ${scopesOf(4, 'import').join(' ')}`);
  assert.ok(scopesOf(6, 'if').some((s) => s.startsWith('keyword.control') && s.endsWith('.shell')), `if: ${scopesOf(6, 'if').join(' ')}`);
});
