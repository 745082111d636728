import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { encodeHeader, padding, END_OF_ARCHIVE, type TarEntry } from '../../../runtime/layer/tar-header';
import { extractTar, cleanEntryPath } from '../../../runtime/layer/extract';
import { noSpecialFs } from '../../../runtime/layer/special-fs';
import { InvalidArgumentError } from '../../../runtime/errors';

const T = 1700000000;
const file = (p: string, data = 'x', extra: Partial<TarEntry> = {}) => ({ entry: { path: p, type: 'file' as const, mode: 0o644, uid: 0, gid: 0, size: Buffer.byteLength(data), mtime: T, ...extra }, data: Buffer.from(data) });
const dir = (p: string) => ({ entry: { path: p, type: 'directory' as const, mode: 0o755, uid: 0, gid: 0, size: 0, mtime: T } });
const symlink = (p: string, to: string) => ({ entry: { path: p, type: 'symlink' as const, mode: 0o777, uid: 0, gid: 0, size: 0, mtime: T, linkname: to } });
const hardlink = (p: string, to: string) => ({ entry: { path: p, type: 'link' as const, mode: 0o644, uid: 0, gid: 0, size: 0, mtime: T, linkname: to } });

/** A tar made by hand, so hostile names are written exactly as given. */
function tar(entries: { entry: TarEntry; data?: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const { entry, data } of entries) {
    parts.push(entry.path.startsWith('/') ? rawName(encodeHeader({ ...entry, path: 'x' }), entry.path) : encodeHeader(entry));
    if (data && data.length) parts.push(data, Buffer.alloc(padding(data.length)));
  }
  parts.push(END_OF_ARCHIVE);
  return Buffer.concat(parts);
}

/** Our encoder refuses absolute names; a hostile archive has them anyway. */
function rawName(header: Buffer, name: string): Buffer {
  header.fill(0, 0, 100);
  header.write(name, 0, 'utf8');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return header;
}

/** Every path under dir, never following symlinks. */
function listNoFollow(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    out.push(r);
    if (fs.lstatSync(path.join(dir, r)).isDirectory()) out.push(...listNoFollow(dir, r));
  }
  return out;
}

/** A sandbox: <tmp>/outside (must never change) and <tmp>/root (the target). */
function sandbox() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-extract-'));
  const outside = path.join(tmp, 'outside');
  const root = path.join(tmp, 'root');
  fs.mkdirSync(outside);
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(outside, 'victim'), 'original');
  const snapshot = () => listNoFollow(outside).map((f) => {
    const st = fs.lstatSync(path.join(outside, f));
    return `${f}:${st.mode}:${st.isFile() ? fs.readFileSync(path.join(outside, f), 'utf8') : ''}`;
  }).join('\n');
  return { tmp, outside, root, snapshot, done: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

const opts = { whiteouts: 'apply' as const, special: noSpecialFs, sameOwner: false };

const hostile: [string, (s: ReturnType<typeof sandbox>) => { entry: TarEntry; data?: Buffer }[], RegExp | null][] = [
  ['dot-dot traversal', () => [file('../outside/victim', 'pwned')], /points outside the target/],
  ['deep traversal', () => [file('a/../../outside/victim', 'pwned')], /points outside the target/],
  ['absolute name', (s) => [file(path.join(s.outside, 'victim'), 'pwned')], /absolute path/],
  ['hard link out of the tree', () => [hardlink('h', '../outside/victim'), file('h', 'pwned')], /points outside the target/],
  ['hard link with an absolute target', (s) => [hardlink('h', path.join(s.outside, 'victim'))], /absolute path/],
  // A symlink that points out is stored, but writing through it stays inside the root.
  ['symlinked parent (absolute)', (s) => [symlink('evil', s.outside), file('evil/victim', 'pwned')], null],
  ['symlinked parent (relative)', () => [symlink('evil', '../outside'), file('evil/victim', 'pwned')], null],
  ['symlink chain', () => [symlink('a', '../../..'), symlink('b', 'a/outside'), file('b/victim', 'pwned')], null],
  ['symlink then file of the same name', (s) => [symlink('victim', path.join(s.outside, 'victim')), file('victim', 'pwned')], null],
  ['hard link to a symlink that points out', (s) => [symlink('l', path.join(s.outside, 'victim')), hardlink('h', 'l'), file('h', 'pwned')], null],
];

for (const [name, make, refused] of hostile) {
  test(`hostile tar: ${name}`, async () => {
    const s = sandbox();
    try {
      const before = s.snapshot();
      const run = extractTar(Readable.from([tar(make(s))]), s.root, opts);
      if (refused) {
        await assert.rejects(run, (e: unknown) => e instanceof InvalidArgumentError && refused.test(e.message));
      } else {
        await run;
      }
      assert.equal(s.snapshot(), before, 'nothing outside the target changed');
      if (!refused) {
        // the write was contained: it landed somewhere under the root
        const found = listNoFollow(s.root).filter((f) => {
          const st = fs.lstatSync(path.join(s.root, f));
          return st.isFile() && fs.readFileSync(path.join(s.root, f), 'utf8') === 'pwned';
        });
        assert.equal(found.length, 1, 'the payload was written inside the root');
      }
    } finally {
      s.done();
    }
  });
}

test('cleanEntryPath: table', () => {
  const table: [string, string[]][] = [['./a/b', ['a', 'b']], ['a//b/./c/', ['a', 'b', 'c']], ['a/../b', ['b']], ['./', []], ['.', []]];
  for (const [raw, want] of table) assert.deepEqual(cleanEntryPath(raw), want, raw);
});

test('whiteouts applied on a flattened tree: .wh.name deletes, .wh..wh..opq empties lower content only', async () => {
  const s = sandbox();
  try {
    await extractTar(Readable.from([tar([dir('etc'), file('etc/a'), file('etc/b'), dir('var'), file('var/old'), dir('var/sub'), file('var/sub/x')])]), s.root, opts);
    await extractTar(Readable.from([tar([file('etc/.wh.a', ''), dir('var'), file('var/new'), file('var/.wh..wh..opq', '')])]), s.root, opts);
    assert.deepEqual(fs.readdirSync(path.join(s.root, 'etc')), ['b']);
    assert.deepEqual(fs.readdirSync(path.join(s.root, 'var')), ['new'], 'opaque removed lower children but kept this layer\'s');
  } finally {
    s.done();
  }
});

test('modes, setuid bits, mtimes, symlinks, hard links and replacement', async () => {
  const s = sandbox();
  try {
    await extractTar(Readable.from([tar([dir('bin'), file('bin/su', 'su', { mode: 0o4755, mtime: 1000 }), hardlink('bin/su2', 'bin/su'), symlink('sh', 'bin/su'), file('d', 'was a file')])]), s.root, opts);
    await extractTar(Readable.from([tar([dir('d'), file('d/x', 'now a dir')])]), s.root, opts);
    const su = fs.statSync(path.join(s.root, 'bin/su'));
    assert.equal(su.mode & 0o7777, 0o4755);
    assert.equal(Math.floor(su.mtimeMs / 1000), 1000);
    assert.equal(su.ino, fs.statSync(path.join(s.root, 'bin/su2')).ino, 'hard link shares the inode');
    assert.equal(fs.readlinkSync(path.join(s.root, 'sh')), 'bin/su');
    assert.equal(fs.readFileSync(path.join(s.root, 'd/x'), 'utf8'), 'now a dir');
    assert.equal(Math.floor(fs.statSync(path.join(s.root, 'bin')).mtimeMs / 1000), T, 'directory mtime set after its children');
  } finally {
    s.done();
  }
});
