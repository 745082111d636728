import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireLock, liveOwner, lockPath, processStartTime } from '../../../runtime/service/lock';
import { ConflictError } from '../../../runtime/errors';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-lock-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fake /proc holding our own stat plus the given extra processes. */
function fakeProc(dir: string, procs: Record<number, { state: string; start: string }>): string {
  const proc = path.join(dir, 'proc');
  const all = { ...procs, [process.pid]: { state: 'S', start: processStartTime(process.pid) ?? '1' } };
  for (const [pid, { state, start }] of Object.entries(all)) {
    fs.mkdirSync(path.join(proc, pid), { recursive: true });
    // comm with a space and a ")" to exercise the parsing of field 2
    const fields = [state, ...Array.from({ length: 18 }, () => '0'), start, '0', '0'];
    fs.writeFileSync(path.join(proc, pid, 'stat'), `${pid} (node serv)ice) ${fields.join(' ')}\n`);
  }
  return proc;
}

const owner = { socket: '/tmp/x.sock', version: '0.1.0' };

test('processStartTime reads field 22 and treats zombies as gone', (t) => {
  const proc = fakeProc(tempDir(t), { 111: { state: 'S', start: '4242' }, 222: { state: 'Z', start: '5' } });
  assert.equal(processStartTime(111, proc), '4242');
  assert.equal(processStartTime(222, proc), undefined);
  assert.equal(processStartTime(333, proc), undefined);
  assert.match(processStartTime(process.pid) ?? '', /^\d+$/); // the real /proc
});

test('acquire writes the owner, release removes it, a second acquire conflicts', (t) => {
  const dir = tempDir(t);
  const held = acquireLock(dir, owner);
  const onDisk = JSON.parse(fs.readFileSync(lockPath(dir), 'utf8'));
  assert.equal(onDisk.pid, process.pid);
  assert.equal(liveOwner(dir)?.pid, process.pid);
  assert.throws(() => acquireLock(dir, owner), (e: unknown) => e instanceof ConflictError && e.message.includes(`pid ${process.pid}`) && e.message.includes(dir));
  held.release();
  assert.equal(fs.existsSync(lockPath(dir)), false);
  assert.deepEqual(fs.readdirSync(dir), []); // no temp files left behind
});

// [what the stale lock names, fake /proc entries]
const staleCases: Array<[string, object, Record<number, { state: string; start: string }>]> = [
  ['a dead pid', { pid: 999_999, startTime: '1' }, {}],
  ['a zombie (killed, never reaped)', { pid: 555, startTime: '7' }, { 555: { state: 'Z', start: '7' } }],
  ['a reused pid (other start time)', { pid: 556, startTime: '7' }, { 556: { state: 'S', start: '8' } }],
  ['garbage', { nonsense: true }, {}],
];
for (const [name, stale, procs] of staleCases) {
  test(`a stale lock naming ${name} is replaced`, (t) => {
    const dir = tempDir(t);
    const proc = fakeProc(dir, procs);
    const state = path.join(dir, 'state');
    fs.mkdirSync(state);
    fs.writeFileSync(lockPath(state), JSON.stringify(stale));
    assert.equal(liveOwner(state, proc), undefined);
    const held = acquireLock(state, owner, proc);
    assert.equal(JSON.parse(fs.readFileSync(lockPath(state), 'utf8')).pid, process.pid);
    held.release();
  });
}

test('a live owner in a fake /proc blocks the lock', (t) => {
  const dir = tempDir(t);
  const proc = fakeProc(dir, { 777: { state: 'S', start: '99' } });
  fs.writeFileSync(lockPath(dir), JSON.stringify({ pid: 777, startTime: '99', socket: 's', version: 'v' }));
  assert.throws(() => acquireLock(dir, owner, proc), /in use by the slipway service with pid 777/);
  assert.equal(JSON.parse(fs.readFileSync(lockPath(dir), 'utf8')).pid, 777); // untouched
});

test('release leaves a lock that is no longer ours alone', (t) => {
  const dir = tempDir(t);
  const held = acquireLock(dir, owner);
  fs.writeFileSync(lockPath(dir), JSON.stringify({ pid: 1, startTime: '1' }));
  held.release();
  assert.equal(fs.existsSync(lockPath(dir)), true);
});
