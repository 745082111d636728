// Cache mount directories: persistence, sharing modes, seeding, prune (on a temp dir).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CacheMounts, type CacheMountRequest } from '../../../../runtime/build/executor/cache-mounts.js';

function withRoot(fn: (caches: CacheMounts, root: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cache-mounts-'));
    try { await fn(new CacheMounts(root), root); } finally { fs.rmSync(root, { recursive: true, force: true }); }
  };
}

const req = (identity: string, sharing: CacheMountRequest['sharing'], create: CacheMountRequest['create'] = async () => undefined): CacheMountRequest =>
  ({ identity, id: identity, sharing, create });

test('a cache persists across leases and is created once', withRoot(async (caches) => {
  let created = 0;
  const a = await caches.acquire(req('apt', 'shared', async (d) => { created++; fs.writeFileSync(path.join(d, 'seed'), 's'); }));
  fs.writeFileSync(path.join(a.dir, 'pkg'), 'x');
  a.release();
  const b = await caches.acquire(req('apt', 'shared', async () => { created++; }));
  assert.equal(fs.readFileSync(path.join(b.dir, 'pkg'), 'utf8'), 'x');
  assert.equal(fs.readFileSync(path.join(b.dir, 'seed'), 'utf8'), 's');
  assert.equal(created, 1);
  b.release();
}));

const sharing: Array<{ mode: CacheMountRequest['sharing']; sameDir: boolean; waits: boolean }> = [
  { mode: 'shared', sameDir: true, waits: false },
  { mode: 'private', sameDir: false, waits: false },
  { mode: 'locked', sameDir: true, waits: true },
];
for (const s of sharing) {
  test(`sharing=${s.mode}: a second user while the first holds it`, withRoot(async (caches) => {
    const first = await caches.acquire(req('id', s.mode));
    let secondDir: string | undefined;
    const second = caches.acquire(req('id', s.mode)).then((l) => { secondDir = l.dir; return l; });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(secondDir === undefined, s.waits, 'waits for the first to release');
    first.release();
    const lease = await second;
    assert.equal(lease.dir === first.dir, s.sameDir);
    lease.release();
    // Once nobody uses it, private comes back to the first instance.
    const third = await caches.acquire(req('id', s.mode));
    assert.equal(third.dir, first.dir);
    third.release();
  }));
}

test('a failed seed leaves no instance behind; prune skips caches in use and reports ids and bytes', withRoot(async (caches, root) => {
  await assert.rejects(caches.acquire(req('bad', 'shared', async () => { throw new Error('seed failed'); })), /seed failed/);
  const key = CacheMounts.keyOf('bad');
  assert.deepEqual(fs.readdirSync(path.join(root, key)).filter((n) => n !== 'meta.json'), []);
  const held = await caches.acquire(req('held', 'shared'));
  const free = await caches.acquire(req('free', 'shared'));
  fs.writeFileSync(path.join(free.dir, 'big'), Buffer.alloc(64 * 1024, 1));
  free.release();
  const result = caches.prune();
  assert.deepEqual(result.deleted.sort(), ['bad', 'free']);
  assert.ok(result.reclaimed >= 64 * 1024, String(result.reclaimed));
  assert.ok(fs.existsSync(held.dir), 'a cache in use is kept');
  held.release();
  assert.deepEqual(caches.prune().deleted, ['held']);
}));
