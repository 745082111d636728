import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Demuxer, frame, toTerminalNewlines, type Frame } from '../../../../extension/terminals/demux';

const stream = Buffer.concat([frame('stdout', 'hello\n'), frame('stderr', 'oops\n'), frame('stdout', ''), frame('stdout', Buffer.alloc(70_000, 0x61))]);
const expected = [['stdout', 'hello\n'], ['stderr', 'oops\n'], ['stdout', ''], ['stdout', 'a'.repeat(70_000)]];

const simplify = (frames: Frame[]) => frames.map((f) => [f.stream, f.data.toString()]);

// [name, chunk sizes to split the stream into]
const splits: Array<[string, number[]]> = [
  ['one chunk', [stream.length]],
  ['byte by byte across the first header', [1, 1, 1, 1, 1, 1, 1, 1, stream.length]],
  ['header split from payload', [8, 6, 3, stream.length]],
  ['mid-payload of the large frame', [40, 30_000, 30_000, stream.length]],
];

for (const [name, sizes] of splits) {
  test(`demux: ${name}`, () => {
    const d = new Demuxer();
    const got: Frame[] = [];
    let at = 0;
    for (const n of sizes) {
      if (at >= stream.length) break;
      got.push(...d.push(stream.subarray(at, at + n)));
      at += n;
    }
    assert.deepEqual(simplify(got), expected);
    assert.equal(d.buffered, 0);
  });
}

test('demux: an incomplete frame stays buffered', () => {
  const d = new Demuxer();
  assert.deepEqual(d.push(frame('stdout', 'abcdef').subarray(0, 10)), []);
  assert.equal(d.buffered, 10);
});

test('demux: a raw TTY stream is refused with the bad header', () => {
  assert.throws(() => new Demuxer().push(Buffer.from('$ ls -la\r\n')), /invalid multiplexed stream header at byte 0: 24206c73/);
});

const newlines: Array<[string, string, boolean, string, boolean]> = [
  ['bare LF', 'a\nb\n', false, 'a\r\nb\r\n', false],
  ['CRLF kept', 'a\r\nb', false, 'a\r\nb', false],
  ['CR at the end of the previous chunk', '\nx', true, '\nx', false],
  ['ends with CR', 'x\r', false, 'x\r', true],
];
for (const [name, input, lastWasCr, out, endCr] of newlines) {
  test(`newlines: ${name}`, () => assert.deepEqual(toTerminalNewlines(input, lastWasCr), { text: out, lastWasCr: endCr }));
}
