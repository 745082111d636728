// /proc/<pid>/stat parsing: fields after the command name, whatever the name holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasEnded, isLiveProcess, liveStartTime, parseProcStat, readProcStat } from '../../../runtime/common/proc-stat';

/** A stat line: fields 3..52 are their own numbers, except the ones given. */
function statLine(pid: number, comm: string, over: { state?: string; ppid?: number; start?: number } = {}): string {
  const rest = Array.from({ length: 50 }, (_, i) => String(i + 3));
  rest[0] = over.state ?? 'S';
  if (over.ppid !== undefined) rest[1] = String(over.ppid);
  if (over.start !== undefined) rest[19] = String(over.start);
  return `${pid} (${comm}) ${rest.join(' ')}\n`;
}

const parsed: Array<[string, string, { pid: number; comm: string; state: string; ppid: number; startTime: number }]> = [
  ['a plain name', statLine(7, 'node', { ppid: 1, start: 4242 }), { pid: 7, comm: 'node', state: 'S', ppid: 1, startTime: 4242 }],
  ['spaces in the name', statLine(8, 'node serv ice', { state: 'R' }), { pid: 8, comm: 'node serv ice', state: 'R', ppid: 4, startTime: 22 }],
  ['")" and "(" in the name', statLine(42, 'my (odd) cmd) 1 2', { state: 'Z', ppid: 9 }), { pid: 42, comm: 'my (odd) cmd) 1 2', state: 'Z', ppid: 9, startTime: 22 }],
  ['an empty name', statLine(5, ''), { pid: 5, comm: '', state: 'S', ppid: 4, startTime: 22 }],
];
for (const [name, text, want] of parsed) {
  test(`parseProcStat: ${name}`, () => {
    const st = parseProcStat(text);
    assert.ok(st);
    assert.deepEqual({ pid: st.pid, comm: st.comm, state: st.state, ppid: st.ppid, startTime: st.startTime }, want);
    assert.equal(st.rest.length, 50, 'fields 3 onwards');
    assert.equal(st.rest[22 - 3], String(want.startTime), 'field N is rest[N - 3]');
  });
}

const malformed: Array<[string, string]> = [
  ['empty', ''],
  ['no parentheses', '7 node S 1 2 3'],
  ['too few fields', '7 (node) S 1 2 3'],
  ['a pid that is not a number', statLine(7, 'x').replace(/^7/, 'seven')],
  ['a start time that is not a number', statLine(7, 'x').replace(' 22 ', ' x ')],
];
for (const [name, text] of malformed) test(`parseProcStat: ${name} → undefined`, () => assert.equal(parseProcStat(text), undefined));

const ended: Array<[string, boolean]> = [['R', false], ['S', false], ['D', false], ['T', false], ['Z', true], ['X', true]];
for (const [state, want] of ended) test(`hasEnded: state ${state} → ${want}`, () => assert.equal(hasEnded({ state }), want));

test('readProcStat, isLiveProcess, liveStartTime against a fake /proc and the real one', (t) => {
  const proc = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-proc-stat-'));
  t.after(() => fs.rmSync(proc, { recursive: true, force: true }));
  const procs: Array<[number, string]> = [[111, statLine(111, 'a b)', { start: 4242 })], [222, statLine(222, 'zomb', { state: 'Z', start: 5 })], [333, 'garbage']];
  for (const [pid, text] of procs) {
    fs.mkdirSync(path.join(proc, String(pid)));
    fs.writeFileSync(path.join(proc, String(pid), 'stat'), text);
  }
  const rows: Array<[number, boolean, number | undefined]> = [[111, true, 4242], [222, false, undefined], [333, false, undefined], [444, false, undefined]];
  for (const [pid, live, start] of rows) {
    assert.equal(isLiveProcess(pid, proc), live, `live ${pid}`);
    assert.equal(liveStartTime(pid, proc), start, `start ${pid}`);
  }
  assert.equal(readProcStat(222, proc)?.state, 'Z');
  assert.equal(readProcStat(444, proc), undefined);
  const self = readProcStat(process.pid);
  assert.equal(self?.pid, process.pid);
  assert.equal(self?.ppid, process.ppid);
  assert.ok(isLiveProcess(process.pid));
});
