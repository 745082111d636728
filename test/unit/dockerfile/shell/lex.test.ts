// BuildKit's shell-expansion tables (read in place), plus pattern operators and references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expand, expandWord, expandWords, lookupIn, variableReferences, splitRawWords } from '../../../../runtime/dockerfile/shell/lex.js';

const shellDir = '/work/shared/corpora/buildkit-parser/shell';

test('envVarTest table (Unix and all-platform rows)', () => {
  const env = lookupIn({ PWD: '/home', SHELL: 'bash', KOREAN: '한국어', NULL: '' });
  let rows = 0;
  for (const line of readFileSync(`${shellDir}/envVarTest`, 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [platform, input, expected] = line.split('|').map((f) => f.trim()) as [string, string, string];
    if (platform === 'W') continue;
    rows++;
    if (expected === 'error') assert.throws(() => expandWord(input, env), Error, `input ${input}`);
    else assert.equal(expandWord(input, env), expected, `input ${input}`);
  }
  assert.ok(rows > 200);
});

test('wordsTest table', () => {
  const vars: Record<string, string> = {};
  let rows = 0;
  for (const line of readFileSync(`${shellDir}/wordsTest`, 'utf8').split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    if (line.startsWith('ENV ')) {
      const kv = line.slice(4);
      const eq = kv.indexOf('=');
      vars[kv.slice(0, eq)] = kv.slice(eq + 1);
      continue;
    }
    const [input, expected] = line.split('|') as [string, string];
    rows++;
    const exp = expected.replace(/^ +/, '');
    if (exp === 'error') assert.throws(() => expandWords(input.trim(), lookupIn(vars)), Error, input);
    else assert.deepEqual(expandWords(input.trim(), lookupIn(vars)), exp.split(','), input);
  }
  assert.ok(rows > 20);
});

const env = lookupIn({ path: '/usr/local/bin/app.tar.gz', v: 'a-b-a-b', empty: '' });
const cases: Array<[string, string]> = [
  ['${path#*/}', 'usr/local/bin/app.tar.gz'],
  ['${path##*/}', 'app.tar.gz'],
  ['${path%.*}', '/usr/local/bin/app.tar'],
  ['${path%%.*}', '/usr/local/bin/app'],
  ['${v/a/x}', 'x-b-a-b'],
  ['${v//a/x}', 'x-b-x-b'],
  ['${v/[ab]/_}', 'a-b-a-b'], // BuildKit has no bracket expressions: "[ab]" is literal
  ['${v/b-?/}', 'a--b'],
  ['${path%.*.*}', '/usr/local/bin/app'],
  ['${empty:+alt}', ''],
  ['${missing-def}', 'def'],
  ['${empty-def}', ''],
  ['${empty:-def}', 'def'],
  ['${missing+alt}', ''],
  ['${empty+alt}', 'alt'],
  ['`$v', '$v'],
];
for (const [input, want] of cases) {
  test(`pattern operators: ${input}`, () => {
    assert.equal(expandWord(input, env, input.startsWith('`') ? { escape: '`' } : {}), want);
  });
}

test('an unknown escape in a pattern is an error', () => {
  assert.throws(() => expandWord('${v#\\q}', env), /invalid escape/);
});

test('${v:?msg} error names the variable and message', () => {
  assert.throws(() => expandWord('${missing:?set it}', env), /missing: set it/);
});

test('matched and unmatched variables are recorded', () => {
  const r = expand('$v ${missing:-x} \'$quoted\'', env);
  assert.deepEqual([...r.matched], ['v']);
  assert.deepEqual([...r.unmatched], ['missing']);
});

test('variableReferences finds names with offsets, skipping single quotes and escapes', () => {
  const text = 'a $FOO ${BAR:-$BAZ} \'$NOT\' \\$ESC "$Q"';
  const refs = variableReferences(text);
  assert.deepEqual(refs.map((r) => r.name), ['FOO', 'BAR', 'BAZ', 'Q']);
  for (const r of refs) assert.equal(text.slice(r.offset, r.offset + r.length).replace(/[${]/g, ''), r.name);
});

test('splitRawWords keeps quotes (heredoc detection)', () => {
  assert.deepEqual(splitRawWords('cat <<"EOF" > /x $A'), ['cat', '<<"EOF"', '>', '/x', '$A']);
});
