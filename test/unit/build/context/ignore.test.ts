// .dockerignore semantics: the examples of ../shared/corpora/buildkit-rules/README.md as tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { IgnoreMatcher, readIgnoreFile, goClean } from '../../../../runtime/build/context/ignore.js';

test('reading: comments only in column 1, trimming, ! and leading / cleaned', () => {
  const text = 'test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! \n  # x\n./a//b/../c/\n';
  assert.deepEqual(readIgnoreFile('\uFEFF' + text),
    ['test1', 'test2', 'a/file/here', 'lastfile', '!inverted/abs/path', '!', '!', '# x', 'a/c']);
});

const single: Array<[string, string, boolean]> = [
  ['**', 'file', true], ['**', 'dir/file', true], ['**/', 'file', true], ['dir/**', 'dir/dir2/file', true],
  ['abc/**', 'abc', false], ['abc/**', 'abc/def/ghi', true], ['**/dir', 'dir', true], ['**/dir', 'dir/file', true],
  ['**/dir2/*', 'dir/dir2/file', true], ['**file', 'file', true], ['**file', 'dir/dir/file', true],
  ['**/file*.txt', 'dir/dir/file.txt', true], ['**/**/*.txt2', 'dir/dir/file.txt', false], ['**/*.txt', 'file.txt', true],
  ['a**/*.txt', 'a/dir/dir/file.txt', true], ['a/*.txt', 'a/dir/file.txt', false], ['a/*.txt**', 'a/file.txt', true],
  ['**/foo/bar', 'foo/bar', true], ['**/foo/bar', 'dir/dir2/foo/bar', true], ['**/.foo', '.foo', true], ['**/.foo', 'bar.foo', false],
  ['.*', '.foo', true], ['.*', 'foo', false], ['abc.def', 'abcZdef', false], ['abc?def', 'abcZdef', true], ['abc?def', 'abcdef', false],
  ['a[b-d]e', 'ace', true], ['a[b-d]e', 'ae', false], ['a[b-d]e', 'aae', false], ['a[^b-d]e', 'aze', true],
  ['a?b', 'a☺b', true], ['a???b', 'a☺b', false], ['a?b', 'a/b', false], ['a*b', 'a/b', false], ['a*/b', 'abc/b', true], ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true], ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false], ['a\\*b', 'a*b', true], ['a\\*b', 'ab', false],
  ['a\\\\', 'a\\', true], ['[\\]a]', ']', true], ['[x\\-]', '-', true], ['[x\\-]', 'x', true], ['a(b)c/def', 'a(b)c/def', true],
  ['a.|)$(}+{bc', 'a.|)$(}+{bc', true], ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
  ['*', 'fileutils.go', true], ['my-dir/*-x.txt', 'my-dir/a-x.txt', true], ['a-b', 'aZb', false], ['*.go', '.', false], ['docs', 'docs/README.md', true], ['a*', 'ab/c', true],
];
for (const [pattern, path, ignored] of single) {
  test(`pattern ${pattern} vs ${path} → ${ignored ? 'ignored' : 'kept'}`, () => {
    assert.equal(new IgnoreMatcher([pattern]).ignores(path), ignored);
  });
}

const lists: Array<[string[], string, boolean]> = [
  [['docs', '!docs/README.md'], 'docs/README.md', false],
  [['docs/', '!docs/README.md'], 'docs/README.md', false],
  [['docs/*', '!docs/README.md'], 'docs/README.md', false],
  [['docs', '!docs/README.md'], 'docs/other.md', true],
  [['*.go', '!fileutils.go'], 'fileutils.go', false],
  [['!fileutils.go', '*.go'], 'fileutils.go', true],
  [['**', '!util/docker/web'], 'util/docker/web/foo', false],
  [['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo', true],
  [[], 'anything', false],
];
for (const [patterns, path, ignored] of lists) {
  test(`patterns [${patterns.join(', ')}] vs ${path} → ${ignored ? 'ignored' : 'kept'}`, () => {
    assert.equal(new IgnoreMatcher(patterns).ignores(path), ignored);
  });
}

for (const bad of ['[a-c-]', '[', '[^', '[^bc', 'a[', '[]a]', '[-]', '[x-]', '[-x]', '[a-b-c]', 'a\\', '!', '[Local-Only]/']) {
  test(`bad pattern ${bad} is an error naming it`, () => {
    assert.throws(() => new IgnoreMatcher([bad]), (err: Error) => err.message.includes(bad));
  });
}

test('every .dockerignore of the real-world corpus loads and matches', () => {
  const root = '/work/shared/corpora/real-world';
  let files = 0;
  for (const d of readdirSync(root).filter((x) => x.includes('__'))) {
    for (const f of readdirSync(`${root}/${d}`).filter((x) => x.endsWith('dockerignore'))) {
      files++;
      const m = new IgnoreMatcher(readIgnoreFile(readFileSync(`${root}/${d}/${f}`, 'utf8')));
      assert.equal(typeof m.ignores('some/path/file.txt'), 'boolean');
    }
  }
  assert.equal(files, 39);
  // moby's own file: ignores bundles/ but keeps the Dockerfile itself
  const moby = new IgnoreMatcher(readIgnoreFile(readFileSync(`${root}/moby__moby/.dockerignore`, 'utf8')));
  assert.ok(moby.ignores('bundles/x') && !moby.ignores('Dockerfile'));
});

test('goClean', () => {
  assert.deepEqual(['./a', 'a//b', 'a/../b', 'dir/', '/foo/bar', '../a', '', '/..'].map(goClean), ['a', 'a/b', 'b', 'dir', '/foo/bar', '../a', '.', '/']);
});
