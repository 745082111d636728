// .dockerignore reading and matching as CopyIgnoredFile sees it: the builder's own matcher
// (runtime/build/context/ignore.ts), so the lint warns about exactly what the build leaves out.
// Cases from the behaviour table in corpora/buildkit-rules/README.md.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IgnoreMatcher, readIgnoreFile } from '../../../runtime/build/context/ignore';

const fromContent = (text: string) => new IgnoreMatcher(readIgnoreFile(text));

test('reading: comments, trimming, exceptions, cleaning', () => {
  assert.deepEqual(readIgnoreFile('test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n  # x\n./a//b/../c/\n'),
    ['test1', 'test2', 'a/file/here', 'lastfile', '!inverted/abs/path', '# x', 'a/c']);
});

// pattern, path, ignored?
const CASES: [string, string, boolean][] = [
  ['**', 'file', true], ['**', 'dir/file', true], ['dir/**', 'dir/dir2/file', true], ['abc/**', 'abc', false], ['abc/**', 'abc/def/ghi', true],
  ['**/dir', 'dir', true], ['**/dir', 'dir/file', true], ['**/dir2/*', 'dir/dir2/file', true], ['**file', 'file', true], ['**file', 'dir/dir/file', true],
  ['**/file*.txt', 'dir/dir/file.txt', true], ['**/**/*.txt2', 'dir/dir/file.txt', false], ['**/*.txt', 'file.txt', true], ['a**/*.txt', 'a/dir/dir/file.txt', true],
  ['a/*.txt', 'a/dir/file.txt', false], ['a/*.txt**', 'a/file.txt', true], ['**/foo/bar', 'dir/dir2/foo/bar', true], ['**/.foo', '.foo', true], ['**/.foo', 'bar.foo', false],
  ['.*', '.foo', true], ['.*', 'foo', false], ['abc.def', 'abcZdef', false], ['abc?def', 'abcZdef', true], ['abc?def', 'abcdef', false],
  ['a[b-d]e', 'ace', true], ['a[b-d]e', 'aae', false], ['a[^b-d]e', 'aze', true], ['a?b', 'a☺b', true], ['a???b', 'a☺b', false], ['a*b', 'a/b', false],
  ['a*/b', 'abc/b', true], ['a*/b', 'a/c/b', false], ['a\\*b', 'a*b', true], ['a\\*b', 'ab', false], ['[\\]a]', ']', true], ['[x\\-]', '-', true],
  ['a(b)c/def', 'a(b)c/def', true], ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true], ['*', 'fileutils.go', true],
  ['*.go', '.', false], ['docs', 'docs/README.md', true],
];
for (const [pattern, path, want] of CASES) {
  test(`${pattern} vs ${path} → ${want ? 'ignored' : 'kept'}`, () => assert.equal(fromContent(pattern).ignores(path), want));
}

test('last match wins and exceptions re-include', () => {
  assert.equal(fromContent('docs\n!docs/README.md').ignores('docs/README.md'), false);
  assert.equal(fromContent('*.go\n!fileutils.go').ignores('fileutils.go'), false);
  assert.equal(fromContent('!fileutils.go\n*.go').ignores('fileutils.go'), true);
});

test('broken patterns are errors naming the pattern', () => {
  for (const p of ['[', 'a[', '[]a]', 'a\\']) assert.throws(() => fromContent(p), /\.dockerignore pattern .*syntax error in pattern/);
  assert.throws(() => fromContent('!'), /illegal exclusion pattern/);
});
