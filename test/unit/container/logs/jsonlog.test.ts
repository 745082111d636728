import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEntry, parseEntry, parseTimeArg, rfc3339Nano, selectEntries, serializeEntry, splitLines, timeToNs, type LogEntry } from '../../../../runtime/container/logs';

test('rfc3339Nano has nine fractional digits and round-trips through timeToNs', () => {
  const t = rfc3339Nano(Date.parse('2026-01-01T00:00:00.123Z') + 0.5);
  assert.equal(t, '2026-01-01T00:00:00.123500000Z');
  assert.equal(timeToNs(t), 1767225600123500000n);
  assert.equal(timeToNs('2026-01-01T00:00:00.123456789Z'), 1767225600123456789n);
  assert.match(rfc3339Nano(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
});

test('entries serialise like json-file and a torn line is skipped', () => {
  const e: LogEntry = { log: 'hi "there"\n', stream: 'stderr', time: '2026-01-01T00:00:00.000000001Z' };
  const line = serializeEntry(e);
  assert.equal(line, '{"log":"hi \\"there\\"\\n","stream":"stderr","time":"2026-01-01T00:00:00.000000001Z"}\n');
  assert.deepEqual(parseEntry(line), e);
  assert.equal(parseEntry('{"log":"x","str'), undefined);
});

const NOW = Date.parse('2026-01-01T01:00:00Z');
const times: Array<[string, bigint]> = [
  ['1767225600', 1767225600000000000n],
  ['1767225600.5', 1767225600500000000n],
  ['2026-01-01T00:00:00Z', 1767225600000000000n],
  ['2026-01-01T00:00:00', 1767225600000000000n],
  ['10m', BigInt(NOW - 600_000) * 1_000_000n],
  ['1h', BigInt(NOW - 3_600_000) * 1_000_000n],
  ['1m30s', BigInt(NOW - 90_000) * 1_000_000n],
];
for (const [arg, want] of times) test(`--since ${arg}`, () => assert.equal(parseTimeArg(arg, NOW), want));
test('--since garbage is refused', () => assert.throws(() => parseTimeArg('yesterday', NOW), /invalid time "yesterday"/));

const at = (s: number) => `2026-01-01T00:00:0${s}.000000000Z`;
const entries: LogEntry[] = [
  { log: 'a\n', stream: 'stdout', time: at(1) },
  { log: 'b\n', stream: 'stderr', time: at(2) },
  { log: 'c\n', stream: 'stdout', time: at(3) },
  { log: 'd\n', stream: 'stdout', time: at(4) },
];
const sel: Array<[string, Parameters<typeof selectEntries>[1], string]> = [
  ['all', {}, 'abcd'],
  ['stdout only', { stderr: false }, 'acd'],
  ['stderr only', { stdout: false }, 'b'],
  ['tail 2', { tail: 2 }, 'cd'],
  ['tail 0', { tail: 0 }, ''],
  ['tail after stream filter', { tail: 1, stdout: false }, 'b'],
  ['since inclusive', { since: timeToNs(at(2)) }, 'bcd'],
  ['until exclusive', { until: timeToNs(at(3)) }, 'ab'],
];
for (const [name, s, want] of sel) test(`selectEntries: ${name}`, () => assert.equal(selectEntries(entries, s).map((e) => e.log.trim()).join(''), want));

test('formatEntry: --timestamps prefixes the time', () => {
  assert.equal(formatEntry(entries[0], true).toString(), `${at(1)} a\n`);
  assert.equal(formatEntry(entries[0], false).toString(), 'a\n');
});

test('splitLines: whole lines only, 16 KiB cut, final takes the rest', () => {
  assert.deepEqual(splitLines(Buffer.from('a\nb\npart'), false).lines.map(String), ['a\n', 'b\n']);
  assert.equal(splitLines(Buffer.from('a\nb\npart'), false).consumed, 4);
  assert.deepEqual(splitLines(Buffer.from('a\npart'), true).lines.map(String), ['a\n', 'part']);
  const long = Buffer.from('x'.repeat(40 * 1024) + '\n');
  assert.deepEqual(splitLines(long, false).lines.map((l) => l.length), [16384, 16384, 8193]);
});
