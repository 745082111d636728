// Context selection against a temporary directory: ignore rules, globs, escapes refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadIgnore, selectSource, cleanSource, resolveInRoot } from '../../../../runtime/build/context/walk.js';
import { IgnoreMatcher } from '../../../../runtime/build/context/ignore.js';

let root = '';
before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'slipway-ctx-'));
  for (const d of ['src/lib', 'docs', 'node_modules/x', 'sub']) mkdirSync(path.join(root, d), { recursive: true });
  const files: Record<string, string> = {
    'app.py': 'print(1)\n', 'README.md': '#', 'src/main.go': 'package main', 'src/lib/util.go': 'package lib',
    'src/lib/notes.md': 'n', 'docs/README.md': 'd', 'docs/other.md': 'o', 'node_modules/x/i.js': '1', 'foo': 'f', 'bar': 'b', 'baz': 'z', 'bay': 'y',
    '.dockerignore': 'ba*\nDockerfile\n!bay\n.dockerignore\n', 'Dockerfile': 'FROM scratch\n', 'Dockerfile2.dockerignore': 'foo\n',
  };
  for (const [f, c] of Object.entries(files)) writeFileSync(path.join(root, f), c);
  chmodSync(path.join(root, 'app.py'), 0o755);
  symlinkSync('/etc/passwd', path.join(root, 'sub/out-abs'));
  symlinkSync('../../..', path.join(root, 'sub/out-rel'));
  symlinkSync('../src', path.join(root, 'sub/to-src'));
});
after(() => rmSync(root, { recursive: true, force: true }));

test('<Dockerfile>.dockerignore wins over the context one', async () => {
  const own = await loadIgnore(root, path.join(root, 'Dockerfile2'));
  assert.equal(own.file, path.join(root, 'Dockerfile2.dockerignore'));
  assert.ok(own.matcher.ignores('foo') && !own.matcher.ignores('bar'));
  const ctx = await loadIgnore(root, path.join(root, 'Dockerfile'));
  assert.equal(ctx.file, path.join(root, '.dockerignore'));
});

test('COPY . with ba*, Dockerfile, !bay, .dockerignore sees foo and bay, not the others', async () => {
  const { matcher } = await loadIgnore(root);
  const [m] = await selectSource(root, '.', { ignore: matcher });
  const names = m!.entries.map((e) => e.path).filter((p) => !p.includes('/'));
  assert.ok(names.includes('foo') && names.includes('bay'));
  for (const gone of ['bar', 'baz', 'Dockerfile', '.dockerignore']) assert.ok(!names.includes(gone), gone);
});

test('directory source brings its subtree, sorted, with modes; exceptions re-include', async () => {
  const ignore = new IgnoreMatcher(['src', '!src/lib/util.go']);
  const [m] = await selectSource(root, './src/', { ignore });
  assert.equal(m!.path, 'src');
  assert.deepEqual(m!.entries.map((e) => [e.path, e.type]), [['src', 'dir'], ['src/lib', 'dir'], ['src/lib/util.go', 'file']]);
  const [f] = await selectSource(root, 'app.py');
  assert.deepEqual([f!.entries[0]!.mode, f!.entries[0]!.size], [0o755, 9]);
});

test('globs match per segment; --exclude drops matches', async () => {
  const got = await selectSource(root, 'src/*/*.go');
  assert.deepEqual(got.map((m) => m.path), ['src/lib/util.go']);
  const md = await selectSource(root, '**/*.md', { exclude: ['docs'] });
  assert.deepEqual(md.map((m) => m.path), ['README.md', 'src/lib/notes.md']);
  await assert.rejects(selectSource(root, '*.nothing'), /nothing in the context matches/);
});

test('escapes are refused or contained', async () => {
  assert.throws(() => cleanSource('../etc/passwd'), /forbidden path outside the build context/);
  assert.throws(() => cleanSource('a/../../b'), /outside the build context/);
  assert.equal(cleanSource('/abs/../x'), 'x');
  // Walking records symlinks as symlinks, never following them out.
  const [m] = await selectSource(root, 'sub');
  assert.deepEqual(m!.entries.map((e) => [e.path, e.type, e.linkTarget]), [
    ['sub', 'dir', undefined], ['sub/out-abs', 'symlink', '/etc/passwd'], ['sub/out-rel', 'symlink', '../../..'], ['sub/to-src', 'symlink', '../src'],
  ]);
  // A symlink inside a source path resolves with the context as "/".
  assert.equal(await resolveInRoot(root, 'sub/out-rel'), '.');
  assert.equal(await resolveInRoot(root, 'sub/to-src/main.go'), 'src/main.go');
  await assert.rejects(selectSource(root, 'sub/out-abs'), /not found in the build context/);
  await assert.rejects(selectSource(root, 'missing'), /"missing" not found/);
});

test('an ignored source is reported as excluded', async () => {
  await assert.rejects(selectSource(root, 'node_modules', { ignore: new IgnoreMatcher(['node_modules']) }), /excluded by .dockerignore/);
});
