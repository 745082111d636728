import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { encodeHeader, paxRecord, type TarEntry } from '../../../runtime/layer/tar-header';
import { readTar, parseNumber, parsePax } from '../../../runtime/layer/tar-reader';
import { tarStream } from '../../../runtime/layer/writer';

const base: TarEntry = { path: 'a', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 1700000000 };

async function roundTrip(entries: { entry: TarEntry; data?: Buffer }[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-tar-'));
  try {
    const items = entries.map(({ entry, data }, i) => {
      if (!data) return { entry };
      const f = path.join(dir, String(i));
      fs.writeFileSync(f, data);
      return { entry: { ...entry, size: data.length }, source: f };
    });
    const chunks: Buffer[] = [];
    for await (const c of tarStream(items)) chunks.push(c as Buffer);
    const tar = Buffer.concat(chunks);
    const out: { entry: TarEntry; data: Buffer }[] = [];
    for await (const r of readTar(Readable.from([tar]))) {
      const parts: Buffer[] = [];
      for await (const c of r.content) parts.push(c);
      out.push({ entry: r.entry, data: Buffer.concat(parts) });
    }
    return { tar, out };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const cases: [string, TarEntry, Buffer?][] = [
  ['plain file', { ...base, path: 'etc/hosts' }, Buffer.from('127.0.0.1 localhost\n')],
  ['directory', { ...base, path: 'etc', type: 'directory', mode: 0o755 }],
  ['setuid + setgid + sticky', { ...base, path: 'bin/su', mode: 0o7755 }, Buffer.from('x')],
  ['symlink', { ...base, path: 'lib', type: 'symlink', mode: 0o777, linkname: 'usr/lib' }],
  ['hard link', { ...base, path: 'b', type: 'link', linkname: 'a' }],
  ['char device', { ...base, path: 'dev/null', type: 'char', mode: 0o666, devmajor: 1, devminor: 3 }],
  ['fifo', { ...base, path: 'p', type: 'fifo' }],
  ['long name (PAX)', { ...base, path: 'd/'.repeat(80) + 'f' }, Buffer.from('long')],
  ['long link target (PAX)', { ...base, path: 's', type: 'symlink', linkname: 'x/'.repeat(70) + 't' }],
  ['utf-8 name', { ...base, path: 'é/日本語.txt' }, Buffer.from('u')],
  ['big uid (PAX)', { ...base, path: 'u', uid: 100000000, gid: 3000000 }, Buffer.from('')],
  ['binary xattr (PAX)', { ...base, path: 'ping', xattrs: { 'security.capability': Buffer.from([1, 0, 0, 2, 0x20, 0, 0, 0, 0xff, 0x80]), 'user.a': Buffer.from('b') } }, Buffer.from('elf')],
  ['negative mtime (PAX)', { ...base, path: 'old', mtime: -5 }],
];

for (const [name, entry, data] of cases) {
  test(`tar round trip: ${name}`, async () => {
    const { out } = await roundTrip([{ entry, data }]);
    assert.equal(out.length, 1);
    const want = { ...entry, size: data?.length ?? 0 };
    assert.deepEqual(out[0].entry, want);
    assert.deepEqual(out[0].data, data ?? Buffer.alloc(0));
  });
}

test('GNU tar reads what we write (names, modes, links, devices)', async () => {
  const entries = cases.filter(([n]) => !n.includes('negative')).map(([, entry, data]) => ({ entry, data }));
  entries.unshift({ entry: { ...base, path: 'a' }, data: Buffer.from('A') }); // target of the hard link
  const { tar } = await roundTrip(entries);
  const listing = execFileSync('tar', ['-tvf', '-', '--numeric-owner'], { input: tar }).toString();
  assert.match(listing, /-rwsr-sr-t 0\/0\s+1 .* bin\/su/);
  assert.match(listing, /lib -> usr\/lib/);
  assert.match(listing, /b link to a/);
  assert.match(listing, /crw-rw-rw- 0\/0\s+1,3 .* dev\/null/);
  assert.ok(listing.includes('d/'.repeat(80) + 'f'), 'the long PAX name is read back by GNU tar');
  assert.match(listing, /100000000\/3000000/);
});

test('a size over 8 GiB goes into a PAX record, not the 11-digit octal field', () => {
  const size = 9 * 1024 ** 3;
  const header = encodeHeader({ ...base, path: 'huge.img', size });
  assert.equal(header.length, 3 * 512, 'PAX header + record block + ustar block');
  const pax = parsePax(header.subarray(512, 1024).subarray(0, parseNumber(header.subarray(124, 136))));
  assert.equal(pax.get('size')?.toString(), String(size));
  const ustar = header.subarray(1024);
  assert.equal(parseNumber(ustar.subarray(124, 136)), 0, 'the ustar size field is zeroed');
  assert.equal(header.subarray(156, 157).toString(), 'x');
  // Just under the limit still fits the classic field.
  assert.equal(encodeHeader({ ...base, size: 0o77777777777 }).length, 512);
});

test('PAX record lengths count their own digits', () => {
  for (const v of ['', 'x', 'y'.repeat(88), 'z'.repeat(95), 'w'.repeat(994)]) {
    const rec = paxRecord('path', Buffer.from(v));
    assert.equal(Number(rec.toString().split(' ')[0]), rec.length, `record for ${v.length} bytes`);
  }
});

test('headers are deterministic: same entry, same bytes; checksum valid for GNU tar', () => {
  const e: TarEntry = { ...base, path: 'x/y', mode: 0o4755, uid: 1000, gid: 1000 };
  assert.deepEqual(encodeHeader(e), encodeHeader({ ...e }));
  const h = encodeHeader(e);
  assert.equal(h.subarray(265, 297).toString('latin1').replace(/\0/g, ''), '', 'uname is empty');
  assert.equal(h.subarray(297, 329).toString('latin1').replace(/\0/g, ''), '', 'gname is empty');
});

test('a corrupted header is refused with its offset', async () => {
  const h = encodeHeader({ ...base, path: 'a' });
  h[0] ^= 1;
  await assert.rejects(async () => { for await (const _ of readTar(Readable.from([h]))) { /* */ } }, /checksum at byte 0/);
});

test('a truncated archive is refused', async () => {
  const h = encodeHeader({ ...base, path: 'a', size: 1000 });
  await assert.rejects(async () => {
    for await (const r of readTar(Readable.from([Buffer.concat([h, Buffer.alloc(100)])]))) for await (const _ of r.content) { /* */ }
  }, /truncated/);
});

test('GNU long names written by GNU tar are read', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-tar-'));
  try {
    const long = 'n'.repeat(150);
    fs.writeFileSync(path.join(dir, long), 'hi');
    const tar = execFileSync('tar', ['--format=gnu', '-cf', '-', '-C', dir, long]);
    const names: string[] = [];
    for await (const r of readTar(Readable.from([tar]))) names.push(r.entry.path);
    assert.deepEqual(names, [long]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a file source that became a symlink is not followed (small, big and in-memory contents)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-tar-'));
  try {
    const outside = path.join(dir, 'outside');
    fs.writeFileSync(outside, 'x'.repeat(2 << 20));
    fs.symlinkSync(outside, path.join(dir, 'swapped'));
    const drain = async (items: Parameters<typeof tarStream>[0]) => { for await (const c of tarStream(items)) void c; };
    for (const size of [10, 2 << 20]) {
      await assert.rejects(drain([{ entry: { ...base, size }, source: path.join(dir, 'swapped') }]), /ELOOP/, `${size} bytes`);
    }
    // Content given in memory is taken as it is, and must be exactly entry.size bytes.
    await drain([{ entry: { ...base, size: 2 }, data: Buffer.from('ok') }]);
    await assert.rejects(drain([{ entry: { ...base, size: 3 }, data: Buffer.from('ok') }]), /2 bytes, expected 3/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
