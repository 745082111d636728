// docker rename on the store: dockerd's rules and wording, the old name freed, the record
// written, the rename event with the old name.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renameContainer } from '../../../runtime/container/rename';
import { ContainerStore } from '../../../runtime/container/state';
import { makeRecord } from './state/fixtures';

const temps: string[] = [];
afterEach(() => { for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true }); });

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

async function store(): Promise<ContainerStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-rename-'));
  temps.push(dir);
  const s = new ContainerStore(dir);
  await s.load();
  await s.create(makeRecord(A, 'web'));
  await s.create(makeRecord(B, 'db'));
  return s;
}

test('rename: the new name finds it, the old one is free, the record on disk has it, the event names both', async () => {
  const s = await store();
  const events: Array<[string, string, Record<string, string>]> = [];
  await renameContainer(s, 'web', 'front', (rec, action, extra) => events.push([action, rec.name, extra]));
  assert.equal(s.get('front').id, A);
  assert.equal(s.find('web'), undefined);
  assert.deepEqual(events, [['rename', 'front', { oldName: '/web' }]]);
  const reloaded = new ContainerStore(path.dirname(s.dir));
  await reloaded.load();
  assert.equal(reloaded.get(A).name, 'front');
  // A leading "/" is Docker's spelling of the same name; by id prefix works too.
  await renameContainer(s, A.slice(0, 12), '/web');
  assert.equal(s.get('web').id, A);
});

test('rename: dockerd\'s refusals', async () => {
  const s = await store();
  const cases: Array<[string, string | undefined, RegExp, number]> = [
    ['web', 'db', /^Conflict\. The container name "\/db" is already in use by container "b{64}"\. You have to remove \(or rename\) that container to be able to reuse that name\.$/, 409],
    ['web', 'web', /^Renaming a container with the same name as its current name$/, 400],
    ['web', '', /^Neither old nor new names may be empty$/, 400],
    ['web', undefined, /^Neither old nor new names may be empty$/, 400],
    ['web', 'bad/name', /^Invalid container name \(bad\/name\), only \[a-zA-Z0-9\]\[a-zA-Z0-9_.-\] are allowed$/, 400],
    ['nope', 'x1', /^No such container: nope$/, 404],
  ];
  for (const [ref, name, message, status] of cases) {
    await assert.rejects(renameContainer(s, ref, name), (err: Error & { status?: number }) => message.test(err.message) && err.status === status, `${ref} → ${name}`);
  }
  assert.equal(s.get('web').id, A, 'nothing changed');
  assert.equal(s.get('db').id, B);
});
