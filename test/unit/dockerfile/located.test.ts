// Ranges read back from the parser nodes (runtime/dockerfile/located.ts), and the parser's
// recovering mode: what the linter and the editor see, with the builder's parser underneath.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Range } from '../../../runtime/errors.js';
import { locate, properties, unquoteWord } from '../../../runtime/dockerfile/located.js';
import { parseDockerfile } from '../../../runtime/dockerfile/syntax.js';
import { DockerfileError } from '../../../runtime/errors.js';

/** `line:char-line:char`, 0-based, as the editor counts. */
const r = (x: Range | undefined): string => (x ? `${x.start.line}:${x.start.character}-${x.end.line}:${x.end.character}` : '-');

function first(text: string, escape = '\\'): ReturnType<typeof locate> & { node: ReturnType<typeof parseDockerfile>['nodes'][number] } {
  const node = parseDockerfile(text, 'Dockerfile', { recover: true }).nodes[0]!;
  return { ...locate(node, escape), node };
}

const WORDS: { name: string; text: string; keyword: string; words: string[] }[] = [
  { name: 'keyword as written, words on continuation lines', text: '  Run echo \\\n  "a b" \\\n# gone\n  c', keyword: 'Run 0:2-0:5', words: ['echo 0:6-0:10', '"a b" 1:2-1:7', 'c 3:2-3:3'] },
  { name: 'COPY splits on blanks only, as BuildKit', text: 'COPY "a b" /dst/', keyword: 'COPY 0:0-0:4', words: ['"a 0:5-0:7', 'b" 0:8-0:10', '/dst/ 0:11-0:16'] },
  { name: 'ENV groups quoted words (parseWords)', text: 'ENV A="x y" B=2', keyword: 'ENV 0:0-0:3', words: ['A="x y" 0:4-0:11', 'B=2 0:12-0:15'] },
  { name: 'an escaped blank stays in the word', text: 'ENV A=x\\ y', keyword: 'ENV 0:0-0:3', words: ['A=x\\ y 0:4-0:10'] },
];
for (const c of WORDS) {
  test(`locate: ${c.name}`, () => {
    const at = first(c.text);
    assert.equal(`${at.written} ${r(at.keywordRange)}`, c.keyword);
    assert.deepEqual(at.words.map((w) => `${w.value} ${r(w.range)}`), c.words);
  });
}

test('locate: flags with name and value ranges, BuildKit values (quotes removed)', () => {
  const at = first('COPY --from=build --chown="a b" \\\n  --link src /dst/');
  assert.deepEqual(at.flags.map((f) => [f.name, f.value, f.raw, r(f.range), r(f.nameRange), r(f.valueRange)]), [
    ['from', 'build', '--from=build', '0:5-0:17', '0:7-0:11', '0:12-0:17'],
    ['chown', 'a b', '--chown="a b"', '0:18-0:31', '0:20-0:25', '0:26-0:31'],
    ['link', undefined, '--link', '1:2-1:8', '1:4-1:8', '-'],
  ]);
  assert.deepEqual(at.words.map((w) => w.value), ['src', '/dst/']);
});

test('locate: JSON strings with their ranges; no JSON strings in shell form', () => {
  const at = first('CMD ["a", "b \\"c\\""]');
  assert.deepEqual(at.jsonStrings.map((w) => `${w.value} ${r(w.range)}`), ['a 0:5-0:8', 'b "c" 0:10-0:19']);
  assert.deepEqual(first('CMD [ "a" ] x').jsonStrings, []);
});

test('properties: key=value pairs, the legacy form, names alone', () => {
  const props = (text: string): string[] => {
    const at = first(text);
    return properties(at.node, at.words, '\\').map((p) => `${p.name}=${p.value ?? '∅'} ${p.assigned ? 'kv' : 'legacy'} ${r(p.nameRange)} ${r(p.valueRange)}`);
  };
  assert.deepEqual(props('ENV A="x y" B=2 C'), ['A=x y kv 0:4-0:5 0:6-0:11', 'B=2 kv 0:12-0:13 0:14-0:15', 'C=∅ legacy 0:16-0:17 -']);
  assert.deepEqual(props('ENV GREETING hello  "big" world'), ['GREETING=hello  big world legacy 0:4-0:12 0:13-0:31']);
  assert.deepEqual(props('LABEL "a b"=c'), ['a b=c kv 0:6-0:11 0:12-0:13']);
  // ARG is never the legacy form: `ARG A B=1` declares two.
  assert.deepEqual(props('ARG A B=1'), ['A=∅ legacy 0:4-0:5 -', 'B=1 kv 0:6-0:7 0:8-0:9']);
});

test('unquoteWord: shell quoting without expansion', () => {
  const rows: [string, string][] = [['"a b"', 'a b'], ["'$X'", '$X'], ['a\\ b', 'a b'], ['"e\\"f"', 'e"f'], ['"a\\nb"', 'a\\nb'], ['plain', 'plain']];
  for (const [word, want] of rows) assert.equal(unquoteWord(word), want, word);
});

test('recover: every error is collected with its line, the other instructions are kept', () => {
  const text = 'FROM alpine\nENV A\nCMD ["a", 1]\nRUN ok\nRUN <<EOF\necho unterminated\n';
  assert.throws(() => parseDockerfile(text), DockerfileError);
  const parsed = parseDockerfile(text, 'Dockerfile', { recover: true });
  assert.deepEqual(parsed.errors.map((e) => [e.range.start.line, e.message]), [
    [1, 'Dockerfile:2: ENV must have two arguments'],
    [2, 'Dockerfile:3: dockerfile JSON arrays must contain only strings'],
    [4, 'Dockerfile:5: unterminated heredoc EOF'],
  ]);
  assert.deepEqual(parsed.nodes.map((n) => n.keyword), ['from', 'env', 'cmd', 'run', 'run']);
  assert.equal(parsed.nodes[4]!.heredocs[0]!.content, 'echo unterminated\n');
  assert.deepEqual(parseDockerfile('', 'Dockerfile', { recover: true }).errors, []);
  // A bad escape directive, then a second one: both are errors, the escape stays `\`.
  const directives = parseDockerfile('# escape=x\n# escape=`\nFROM a\n', 'D', { recover: true });
  assert.deepEqual(directives.errors.map((e) => e.range.start.line), [0, 1]);
  assert.equal(directives.directives.escape, '\\');
});

test('comments (also inside continuations) and heredoc content ranges', () => {
  const parsed = parseDockerfile('# top\nRUN a \\\n  # inside\n  b\nCOPY <<EOF /x\nline1\nline2\nEOF\n');
  assert.deepEqual(parsed.comments.map((c) => `${c.text} ${r(c.range)}`), ['# top 0:0-0:5', '# inside 2:2-2:10']);
  const doc = parsed.nodes[1]!.heredocs[0]!;
  assert.deepEqual([r(doc.range), r(doc.contentRange)], ['5:0-7:3', '5:0-6:5']);
});
