import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContainerStore, generateId, generateName, normalizeName } from '../../../../runtime/container/state';
import { makeRecord } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-state-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const freshRoot = () => path.join(tmp, String(n++));

test('generateId: 64 hex, short form never all digits', () => {
  let calls = 0;
  // First draw has a numeric short id and must be rejected.
  const random = (size: number) => Buffer.from((calls++ === 0 ? '123456789012' : 'abcdef123456').padEnd(size * 2, '0'), 'hex');
  const id = generateId(random);
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.equal(id.slice(0, 12), 'abcdef123456');
  assert.equal(calls, 2);
});

const names: Array<[string, string | RegExp]> = [['web', 'web'], ['/web', 'web'], ['a.b_c-d', 'a.b_c-d'], ['-bad', /Invalid container name \(-bad\)/], ['x', /Invalid container name/], ['sp ace', /only \[a-zA-Z0-9\]/]];
for (const [input, want] of names) {
  test(`normalizeName(${input})`, () => {
    if (want instanceof RegExp) assert.throws(() => normalizeName(input), want);
    else assert.equal(normalizeName(input), want);
  });
}

test('generateName avoids taken names', () => {
  const taken = new Set<string>();
  for (let i = 0; i < 50; i++) taken.add(generateName((x) => taken.has(x)));
  assert.equal(taken.size, 50);
  for (const t of taken) assert.match(t, /^[a-z]+_[a-z]+\d*$/);
});

test('create, persist, reload, lookup by id / name / prefix', async () => {
  const root = freshRoot();
  const store = new ContainerStore(root);
  await store.load();
  const a = await store.create(makeRecord('abc1' + '0'.repeat(60), '/web'));
  await store.create(makeRecord('abc2' + '0'.repeat(60), 'db'));
  assert.equal(a.name, 'web');
  const file = path.join(root, 'containers', a.id, 'config.v2.json');
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).name, 'web');

  const again = new ContainerStore(root);
  await again.load();
  assert.equal(again.list().length, 2);
  assert.equal(again.get('web').id, a.id);
  assert.equal(again.get('/web').id, a.id);
  assert.equal(again.get('abc1').id, a.id);
  assert.equal(again.get(a.id).name, 'web');
  assert.throws(() => again.get('abc'), { message: 'multiple IDs found with provided prefix: abc' });
  assert.throws(() => again.get('nope'), { message: 'No such container: nope', status: 404 } as object);
});

test('duplicate names are a 409 with Docker\'s message', async () => {
  const store = new ContainerStore(freshRoot());
  await store.load();
  const first = await store.create(makeRecord('1a' + '0'.repeat(62), 'web'));
  await assert.rejects(store.create(makeRecord('2b' + '0'.repeat(62), 'web')), (e: Error & { status: number }) =>
    e.status === 409 && e.message === `Conflict. The container name "/web" is already in use by container "${first.id}". You have to remove (or rename) that container to be able to reuse that name.`);
  assert.equal(store.list().length, 1);
});

test('update is atomic and serialized; a throwing change leaves the record as it was', async () => {
  const root = freshRoot();
  const store = new ContainerStore(root);
  await store.load();
  const rec = await store.create(makeRecord('cc' + '0'.repeat(62), 'svc'));
  await Promise.all(Array.from({ length: 20 }, () => store.update(rec.id, (r) => { r.restartCount += 1; })));
  assert.equal(store.get(rec.id).restartCount, 20);
  await assert.rejects(store.update(rec.id, (r) => { r.restartCount = 99; throw new Error('no'); }), /no/);
  assert.equal(store.get(rec.id).restartCount, 20);
  const dir = path.join(root, 'containers', rec.id);
  assert.deepEqual(fs.readdirSync(dir), ['config.v2.json'], 'no temp files left');
  await store.remove(rec.id);
  assert.equal(fs.existsSync(dir), false);
  assert.equal(store.find(rec.id), undefined);
});

test('a corrupt record is reported and skipped on load', async () => {
  const root = freshRoot();
  fs.mkdirSync(path.join(root, 'containers', 'broken'), { recursive: true });
  fs.writeFileSync(path.join(root, 'containers', 'broken', 'config.v2.json'), '{nope');
  const errors: string[] = [];
  const store = new ContainerStore(root);
  await store.load((id) => errors.push(id));
  assert.deepEqual(errors, ['broken']);
  assert.equal(store.list().length, 0);
});

test('forget: the container is gone for lookups and its name is free before its directory is deleted', async () => {
  const root = freshRoot();
  const store = new ContainerStore(root);
  await store.load();
  const rec = await store.create(makeRecord('dd' + '0'.repeat(62), 'quick'));
  const dir = path.join(root, 'containers', rec.id);
  fs.mkdirSync(path.join(dir, 'diff', 'deep', 'er'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'diff', 'deep', 'er', 'file'), 'x');
  const { deleted } = await store.forget(rec.id);
  // Synchronously after forget: no record, no directory under its id, the name reusable.
  assert.equal(store.find(rec.id), undefined);
  assert.equal(fs.existsSync(dir), false);
  await store.create(makeRecord('ee' + '0'.repeat(62), 'quick'));
  await deleted;
  assert.deepEqual(fs.readdirSync(path.join(root, 'containers')), ['ee' + '0'.repeat(62)], 'the moved-aside directory is deleted');
});

test('load finishes a deletion a previous service left half done, and reports nothing', async () => {
  const root = freshRoot();
  const left = path.join(root, 'containers', `.removed-${'ff'.repeat(32)}`);
  fs.mkdirSync(path.join(left, 'diff'), { recursive: true });
  fs.writeFileSync(path.join(left, 'config.v2.json'), '{}');
  const errors: string[] = [];
  const store = new ContainerStore(root);
  await store.load((id) => errors.push(id));
  assert.deepEqual(errors, []);
  assert.equal(store.list().length, 0);
  assert.equal(fs.existsSync(left), false);
});

test('forget of a container whose directory is already gone still forgets it', async () => {
  const root = freshRoot();
  const store = new ContainerStore(root);
  await store.load();
  const rec = await store.create(makeRecord('ab' + '0'.repeat(62), 'gone'));
  fs.rmSync(path.join(root, 'containers', rec.id), { recursive: true });
  await (await store.forget(rec.id)).deleted;
  assert.equal(store.find(rec.id), undefined);
});

test('update with persist: false changes the record in memory only', async () => {
  const root = freshRoot();
  const store = new ContainerStore(root);
  await store.load();
  const rec = await store.create(makeRecord('ac' + '0'.repeat(62), 'brief'));
  const file = path.join(root, 'containers', rec.id, 'config.v2.json');
  const onDisk = fs.readFileSync(file, 'utf8');
  await store.update(rec.id, (r) => { r.restartCount = 7; }, { persist: false });
  assert.equal(store.get(rec.id).restartCount, 7);
  assert.equal(fs.readFileSync(file, 'utf8'), onDisk, 'the file is untouched');
  await store.update(rec.id, (r) => { r.restartCount = 8; });
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).restartCount, 8);
});
