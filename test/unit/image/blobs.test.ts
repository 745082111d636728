import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BlobStore, DigestMismatchError } from '../../../runtime/image/blobs';
import { ConflictError } from '../../../runtime/errors';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function withStore(fn: (s: BlobStore, dir: string) => Promise<void>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-blobs-'));
  try {
    const s = new BlobStore(dir);
    await s.init();
    await fn(s, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const data = Buffer.from('hello blob '.repeat(1000));

test('put verifies digest and size, stores at blobs/sha256/<hex>', () => withStore(async (s, dir) => {
  const info = await s.put(data, { digest: sha(data), size: data.length });
  assert.deepEqual(info, { digest: sha(data), size: data.length });
  assert.deepEqual(fs.readFileSync(path.join(dir, 'blobs/sha256', sha(data).slice(7))), data);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'ingest')), [], 'no partial or lock left');
}));

const mismatches: [string, { digest?: string; size?: number }, RegExp][] = [
  ['wrong digest', { digest: sha(Buffer.from('other')) }, new RegExp(`expected ${sha(Buffer.from('other'))}, got ${sha(data)}`)],
  ['too short', { size: data.length + 5 }, /wrong size: expected 11005 bytes, got 11000 bytes/],
  ['too long', { size: 10 }, /larger than expected/],
];
for (const [name, expected, message] of mismatches) {
  test(`a mismatch (${name}) deletes the partial, stores nothing, names expected and actual`, () => withStore(async (s, dir) => {
    await assert.rejects(s.putStream(Readable.from([data.subarray(0, 5000), data.subarray(5000)]), expected), (e: unknown) => e instanceof DigestMismatchError && message.test(e.message));
    assert.deepEqual(await s.list(), []);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'ingest')), []);
  }));
}

test('an interrupted write resumes from its offset and verifies the whole blob', () => withStore(async (s) => {
  const expected = { digest: sha(data), size: data.length };
  const first = await s.writer(expected);
  assert.equal(first.offset, 0);
  await first.write(data.subarray(0, 4321));
  await first.close(); // e.g. the connection dropped
  assert.equal(await s.has(expected.digest), false, 'nothing is visible before commit');
  const second = await s.writer(expected);
  assert.equal(second.offset, 4321, 'resume point for a Range request');
  await second.write(data.subarray(second.offset));
  assert.deepEqual(await second.commit(), expected);
  assert.deepEqual(await s.read(expected.digest), data);
}));

test('a resumed partial with wrong bytes fails verification and is deleted', () => withStore(async (s, dir) => {
  const expected = { digest: sha(data), size: data.length };
  const w = await s.writer(expected);
  await w.write(Buffer.alloc(100, 0x41));
  await w.close();
  const again = await s.writer(expected);
  await again.write(data.subarray(again.offset));
  await assert.rejects(again.commit(), DigestMismatchError);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'ingest')), []);
}));

test('two writers of the same digest: the second is refused while the first is alive', () => withStore(async (s) => {
  const w = await s.writer({ digest: sha(data) });
  await assert.rejects(s.writer({ digest: sha(data) }), ConflictError);
  await w.abort();
  const again = await s.writer({ digest: sha(data) });
  await again.abort();
}));

test('a lock left by a dead process is broken by the sweep; tmp files are removed', () => withStore(async (s, dir) => {
  const hex = sha(data).slice(7);
  fs.writeFileSync(path.join(dir, 'ingest', `${hex}.lock`), '999999999');
  fs.writeFileSync(path.join(dir, 'ingest', 'tmp-abc.partial'), 'junk');
  fs.writeFileSync(path.join(dir, 'blobs/sha256', `${hex}.tmp`), 'junk');
  await s.sweep();
  assert.deepEqual(fs.readdirSync(path.join(dir, 'ingest')), []);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'blobs/sha256')), []);
  const w = await s.writer({ digest: sha(data) });
  await w.write(data);
  await w.commit();
}));

test('writing an existing blob again is a no-op', () => withStore(async (s) => {
  await s.put(data);
  const again = await s.putStream(Readable.from([data]), { digest: sha(data) });
  assert.equal(again.size, data.length);
  assert.equal((await s.list()).length, 1);
}));

test('a second writer can wait for the first; when the blob landed meanwhile it is complete, nothing to download', () => withStore(async (s) => {
  const expected = { digest: sha(data), size: data.length };
  const first = await s.writer(expected);
  const second = s.writer(expected, { waitMs: 5000 });
  await first.write(data);
  await first.commit();
  const w = await second;
  assert.equal(w.complete, true);
  assert.equal(w.offset, data.length);
  assert.deepEqual(await w.commit(), expected);
  await assert.rejects(w.write(Buffer.from('x')), /already closed or complete/);
}));

// ingest (put/putStream's one path): whether this call stored the blob, for a pull's rollback.
const ingests: Array<[string, (s: BlobStore) => Promise<unknown>, () => Buffer | Readable, boolean]> = [
  ['a new blob from bytes', async () => undefined, () => data, true],
  ['a new blob from a stream', async () => undefined, () => Readable.from([data.subarray(0, 100), data.subarray(100)]), true],
  ['a blob already stored', (s) => s.put(data), () => data, false],
  ['a blob another writer stores while this one waits', async (s) => {
    const other = await s.writer({ digest: sha(data), size: data.length });
    setTimeout(() => { void other.write(data).then(() => other.commit()); }, 100);
  }, () => Readable.from([data]), false],
];
for (const [name, before, source, stored] of ingests) {
  test(`ingest: ${name} → stored ${stored}`, () => withStore(async (s, dir) => {
    await before(s);
    const r = await s.ingest(source(), { digest: sha(data), size: data.length }, { waitMs: 5000 });
    assert.deepEqual(r, { info: { digest: sha(data), size: data.length }, stored });
    assert.deepEqual(await s.read(sha(data)), data);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'ingest')), [], 'no partial or lock left');
  }));
}

test('ingest without waitMs refuses while another writer holds the digest', () => withStore(async (s) => {
  const other = await s.writer({ digest: sha(data) });
  await assert.rejects(s.ingest(data, { digest: sha(data) }), ConflictError);
  await other.abort();
}));
