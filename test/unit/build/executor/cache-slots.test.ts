// The cache index keeps each step's description once (in keys/), slots point at a key, slots in
// the older format (the description itself) still explain misses; and a step's miss reason
// compares descriptions only when the cache was consulted and had nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildCache } from '../../../../runtime/build/executor/cache';
import { missReason, type CacheLookup } from '../../../../runtime/build/executor/report';
import { cacheKey, type FileRecord, type StepDescription } from '../../../../runtime/build/cache-key';

const file = (p: string, digest: string): FileRecord => ({ path: p, type: 'file', mode: 0o644, uid: 0, gid: 0, digest });
const copyStep = (files: FileRecord[], parent = 'scratch'): StepDescription => ({
  version: 'v1', parent, platform: 'linux/amd64', kind: 'copy', instruction: { op: 'copy', dest: '/app' }, args: {}, env: {}, files,
});
const many = (n: number) => Array.from({ length: n }, (_, i) => file(`f${i}.txt`, `sha256:${String(i).padStart(64, '0')}`));

function withCache(fn: (cache: BuildCache, dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-slots-'));
  try { fn(new BuildCache(dir), dir); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}

test('a slot holds only the key: a 2,000-file description is written once, in keys/', () => {
  withCache((cache, dir) => {
    const desc = copyStep(many(2000));
    const key = cacheKey(desc);
    cache.put({ key, description: desc, created: '2026-01-01T00:00:00Z' });
    const slot = BuildCache.slot('/ctx/Dockerfile', 0, 1);
    cache.remember(slot, key);
    const slotText = fs.readFileSync(path.join(dir, 'slots', `${slot}.json`), 'utf8');
    assert.deepEqual(JSON.parse(slotText), { key });
    assert.ok(!slotText.includes('f1999.txt'), 'the file records are not in the slot');
    assert.deepEqual(cache.lastAt(slot), desc);
  });
});

test('slots in the older format (the description itself) are still read', () => {
  withCache((cache, dir) => {
    const desc = copyStep([file('app.py', 'sha256:' + 'aa'.repeat(32))]);
    const slot = BuildCache.slot('/ctx/Dockerfile', 0, 1);
    fs.writeFileSync(path.join(dir, 'slots', `${slot}.json`), JSON.stringify(desc));
    assert.deepEqual(cache.lastAt(slot), desc);
  });
});

test('a slot whose entry is gone (or torn) has no last description', () => {
  withCache((cache, dir) => {
    const slot = BuildCache.slot('/ctx/Dockerfile', 0, 1);
    cache.remember(slot, 'sha256:' + 'bb'.repeat(32));
    assert.equal(cache.lastAt(slot), undefined);
    fs.writeFileSync(path.join(dir, 'slots', `${slot}.json`), '{"ke');
    assert.equal(cache.lastAt(slot), undefined);
    assert.equal(cache.lastAt(BuildCache.slot('/ctx/Dockerfile', 0, 9)), undefined);
  });
});

const before = copyStep([file('app.py', 'sha256:' + '11'.repeat(32)), file('req.txt', 'sha256:' + '22'.repeat(32))]);
const after = copyStep([file('app.py', 'sha256:' + '33'.repeat(32)), file('req.txt', 'sha256:' + '22'.repeat(32))]);
const reasonCases: Array<{ name: string; lookup: CacheLookup; last: StepDescription | undefined; next: StepDescription; base?: string; want: string; reads: number }> = [
  { name: '--no-cache: no comparison', lookup: 'no-cache', last: before, next: after, want: '--no-cache', reads: 0 },
  { name: 'hit with its layer pruned: no comparison', lookup: 'layer-removed', last: before, next: after, want: 'the cached layer was removed', reads: 0 },
  { name: 'a changed COPY source is named', lookup: 'none', last: before, next: after, want: 'COPY: app.py changed', reads: 1 },
  { name: 'nothing built there before', lookup: 'none', last: undefined, next: after, want: 'no cached step', reads: 1 },
  { name: 'an earlier step changed', lookup: 'none', last: copyStep(after.files!, 'sha256:' + '44'.repeat(32)), next: after, want: 'an earlier step changed', reads: 1 },
  {
    name: 'the base image changed', lookup: 'none', base: 'busybox',
    last: copyStep(after.files!, 'image:sha256:' + '55'.repeat(32)), next: copyStep(after.files!, 'image:sha256:' + '66'.repeat(32)),
    want: 'base image busybox changed (555555555555 → 666666666666)', reads: 1,
  },
];
for (const c of reasonCases) {
  test(`miss reason: ${c.name}`, () => {
    let reads = 0;
    assert.equal(missReason(c.lookup, () => { reads++; return c.last; }, c.next, c.base), c.want);
    assert.equal(reads, c.reads, 'the last description is read only when the cache was consulted and had nothing');
  });
}
