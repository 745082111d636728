// ADD <url> downloads (url.ts) with a stand-in fetch: the digest the cache key uses, --checksum
// checks with each algorithm, and failures that leave no file behind.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchToFile, withDownloadDigests } from '../../../../runtime/build/executor/url.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-url-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const BODY = 'hello\n';
const serve = (status = 200, headers: Record<string, string> = {}): typeof fetch => async () => new Response(status === 200 ? BODY : 'nope', { status, headers });
const hex = (algo: string) => createHash(algo).update(BODY).digest('hex');

const checks: Array<[string, string | undefined, RegExp | undefined]> = [
  ['no checksum', undefined, undefined],
  ['sha256 matches', `sha256:${hex('sha256')}`, undefined],
  ['sha384 matches', `sha384:${hex('sha384')}`, undefined],
  ['sha512 matches', `sha512:${hex('sha512')}`, undefined],
  ['sha256 differs', `sha256:${'0'.repeat(64)}`, new RegExp(`^InvalidArgumentError: digest mismatch for http://h/f: sha256:${hex('sha256')} \\(expected: sha256:0{64}\\)$`)],
  ['sha512 differs', `sha512:${'0'.repeat(128)}`, new RegExp(`digest mismatch for http://h/f: sha512:${hex('sha512')} `)],
];
for (const [name, checksum, error] of checks) {
  test(`download: ${name}`, async () => {
    const file = path.join(dir, name.replace(/\W/g, '-'));
    const run = fetchToFile('http://h/f', file, { fetch: serve(200, { 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT' }), checksum });
    if (error) {
      await assert.rejects(run, error);
      assert.equal(fs.existsSync(file), false, 'nothing is left behind');
      return;
    }
    const got = await run;
    assert.deepEqual(got, { url: 'http://h/f', file, digest: `sha256:${hex('sha256')}`, lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' });
    assert.equal(fs.readFileSync(file, 'utf8'), BODY);
  });
}

test('an HTTP error names the URL without its password and leaves no file', async () => {
  const file = path.join(dir, 'missing');
  await assert.rejects(fetchToFile('https://u:pw123@h/f', file, { fetch: serve(404) }), /^SlipwayError: ADD cannot download https:\/\/u:xxxxx@h\/f: HTTP 404$/);
  assert.equal(fs.existsSync(file), false);
});

test('withDownloadDigests puts the content digest on the URL record only', () => {
  const records = withDownloadDigests([
    { path: 'http://h/f', type: 'other', mode: 0, uid: 0, gid: 0 },
    { path: 'http://h/other', type: 'other', mode: 0, uid: 0, gid: 0 },
  ], [{ url: 'http://h/f', file: '/x', digest: 'sha256:abc' }, undefined]);
  assert.deepEqual(records.map((r) => r.digest), ['sha256:abc', undefined]);
});
