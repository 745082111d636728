// ADD auto-extraction detection on real tar bytes made with the system's tar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { detectCompression, isTarHeader } from '../../../../runtime/build/context/archive.js';

test('tar headers and compression magic', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'slipway-tar-'));
  try {
    writeFileSync(path.join(dir, 'a.txt'), 'hello');
    execFileSync('tar', ['-cf', path.join(dir, 'a.tar'), '-C', dir, 'a.txt']);
    const tar = readFileSync(path.join(dir, 'a.tar'));
    assert.equal(detectCompression(tar), 'none');
    assert.ok(isTarHeader(tar.subarray(0, 512)));
    const gz = gzipSync(tar);
    assert.equal(detectCompression(gz), 'gzip');
    assert.ok(!isTarHeader(gz.subarray(0, 512)));
    const corrupted = Buffer.from(tar.subarray(0, 512)); corrupted[0] = corrupted[0]! ^ 1;
    assert.ok(!isTarHeader(corrupted), 'a checksum mismatch is not a tar');
    assert.ok(!isTarHeader(Buffer.alloc(100)));
    assert.ok(!isTarHeader(Buffer.from('just text'.padEnd(512, ' '))));
    assert.deepEqual([[0x42, 0x5a, 0x68], [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0], [0x28, 0xb5, 0x2f, 0xfd]].map((b) => detectCompression(Uint8Array.from(b))), ['bzip2', 'xz', 'zstd']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
