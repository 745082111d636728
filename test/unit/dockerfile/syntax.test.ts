// Golden tests against BuildKit's parser corpus, read in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseDockerfile } from '../../../runtime/dockerfile/syntax.js';
import { dump } from '../../../runtime/dockerfile/dump.js';
import { DockerfileError } from '../../../runtime/errors.js';
import { DockerfileParser } from 'dockerfile-ast';

const corpus = '/work/shared/corpora/buildkit-parser';

for (const name of readdirSync(path.join(corpus, 'testfiles')).sort()) {
  test(`buildkit corpus: ${name} dumps to its result`, () => {
    const dir = path.join(corpus, 'testfiles', name);
    const parsed = parseDockerfile(readFileSync(path.join(dir, 'Dockerfile'), 'utf8'));
    assert.equal(dump(parsed), readFileSync(path.join(dir, 'result'), 'utf8'));
  });
}

for (const name of readdirSync(path.join(corpus, 'testfiles-negative')).sort()) {
  test(`buildkit corpus: ${name} fails with a located error`, () => {
    const text = readFileSync(path.join(corpus, 'testfiles-negative', name, 'Dockerfile'), 'utf8');
    assert.throws(() => parseDockerfile(text, 'neg/Dockerfile'), (err: unknown) => {
      assert.ok(err instanceof DockerfileError, String(err));
      assert.equal(err.file, 'neg/Dockerfile');
      assert.ok(err.range.start.line >= 0);
      return true;
    });
  });
}

test('buildkit corpus: testfile-line spans', () => {
  const parsed = parseDockerfile(readFileSync(path.join(corpus, 'testfile-line', 'Dockerfile'), 'utf8'));
  assert.deepEqual([parsed.range.start.line + 1, parsed.range.end.line + 1], [5, 31]);
  assert.deepEqual(parsed.nodes.map((n) => [n.keyword, n.range.start.line + 1, n.range.end.line + 1]),
    [['from', 5, 5], ['env', 11, 12], ['run', 17, 31]]);
});

// Our line assembly vs dockerfile-ast (which the lint engine used before): they agree on every
// real-world file but one, where a path ends in an escaped escape (`System32\\`). BuildKit ends
// the instruction there; dockerfile-ast continues it and swallows the next ENV.
test('instruction boundaries agree with dockerfile-ast on the real-world corpus, except escaped escapes', () => {
  const root = '/work/shared/corpora/real-world';
  const differ: string[] = [];
  for (const d of readdirSync(root).filter((x) => x.includes('__'))) {
    for (const f of readdirSync(path.join(root, d)).filter((x) => !x.includes('dockerignore'))) {
      const text = readFileSync(path.join(root, d, f), 'utf8');
      const ours = parseDockerfile(text).nodes.map((n) => `${n.range.start.line}:${n.keyword}`);
      const theirs = DockerfileParser.parse(text).getInstructions().map((i) => `${i.getRange().start.line}:${i.getKeyword().toLowerCase()}`);
      if (ours.join() !== theirs.join()) differ.push(`${d}/${f}`);
    }
  }
  assert.deepEqual(differ, ['docker-library__mongo/8.3__windows__nanoserver-ltsc2022__Dockerfile']);
  const mongo = parseDockerfile(readFileSync(path.join(root, differ[0]!), 'utf8'));
  assert.ok(mongo.nodes.some((n) => n.keyword === 'env' && n.args[0] === 'MONGO_VERSION'));
});
