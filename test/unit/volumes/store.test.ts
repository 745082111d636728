import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ANONYMOUS_LABEL, VolumeStore } from '../../../runtime/volumes';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-vol-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const freshRoot = () => path.join(tmp, `root${n++}`);

test('create: named and anonymous volumes, Docker JSON, idempotent by name', () => {
  const root = freshRoot();
  const store = new VolumeStore(root);
  const v = store.create({ Name: 'data', Labels: { app: 'web' } });
  assert.deepEqual({ ...v, CreatedAt: 'x' }, { CreatedAt: 'x', Driver: 'local', Labels: { app: 'web' }, Mountpoint: path.join(root, 'volumes', 'data', '_data'), Name: 'data', Options: null, Scope: 'local' });
  assert.match(v.CreatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(fs.statSync(v.Mountpoint).isDirectory());
  assert.deepEqual(store.create({ Name: 'data' }), v);
  const anon = store.create();
  assert.match(anon.Name, /^[0-9a-f]{64}$/);
  assert.ok(ANONYMOUS_LABEL in anon.Labels);
  assert.deepEqual(store.inspect('data'), v);
});

const badCreates: Array<[object, RegExp, number]> = [
  [{ Name: 'bad/name' }, /includes invalid characters for a local volume name/, 400],
  [{ Name: 'x' }, /includes invalid characters/, 400],
  [{ Name: 'ok', Driver: 'nfs' }, /plugin "nfs" not found/, 404],
  [{ Name: 'ok', DriverOpts: { type: 'tmpfs' } }, /volume options are not supported yet: type/, 400],
];
for (const [req, msg, status] of badCreates) {
  test(`create refuses ${JSON.stringify(req)}`, () => {
    assert.throws(() => new VolumeStore(freshRoot()).create(req), (e: Error & { status: number }) => msg.test(e.message) && e.status === status);
  });
}

test('ls filters, rm in-use checks, prune keeps named and used volumes', () => {
  const users: Record<string, string[]> = { used: ['c0ffee'] };
  const store = new VolumeStore(freshRoot(), { usedBy: (name) => users[name] ?? [] });
  store.create({ Name: 'used', Labels: { tier: 'db' } });
  store.create({ Name: 'named' });
  const anon = store.create().Name;
  const names = (f: Record<string, string[]>) => store.list(f).Volumes.map((v) => v.Name);
  assert.deepEqual(names({}), [anon, 'named', 'used'].sort());
  assert.deepEqual(names({ name: ['use'] }), ['used']);
  assert.deepEqual(names({ label: ['tier=db'] }), ['used']);
  assert.deepEqual(names({ dangling: ['false'] }), ['used']);
  assert.deepEqual(names({ dangling: ['true'] }), [anon, 'named'].sort());
  assert.throws(() => store.list({ color: ['x'] }), /invalid filter 'color'/);

  assert.throws(() => store.remove('used'), (e: Error & { status: number }) => e.status === 409 && e.message === 'remove used: volume is in use - [c0ffee]');
  assert.throws(() => store.remove('used', { force: true }), /in use/);
  assert.throws(() => store.remove('ghost'), /get ghost: no such volume/);
  store.remove('ghost', { force: true });

  fs.writeFileSync(path.join(store.dataPath(anon), 'f'), '12345');
  assert.deepEqual(store.prune(), { VolumesDeleted: [anon], SpaceReclaimed: 5 });
  assert.deepEqual(store.prune({ all: ['true'] }).VolumesDeleted, ['named']);
  assert.deepEqual(names({}), ['used']);
  users.used = [];
  store.remove('used');
  assert.deepEqual(names({}), []);
});
