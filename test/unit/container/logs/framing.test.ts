import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame, FrameDecoder } from '../../../../runtime/container/logs';

test('encodeFrame: header is stream, 0, 0, 0, big-endian length', () => {
  const f = encodeFrame(2, 'hi\n');
  assert.deepEqual([...f.subarray(0, 8)], [2, 0, 0, 0, 0, 0, 0, 3]);
  assert.equal(f.subarray(8).toString(), 'hi\n');
  assert.deepEqual([...encodeFrame(1, Buffer.alloc(300)).subarray(4, 8)], [0, 0, 1, 44]);
});

test('decoder: frames survive any chunking, byte by byte included', () => {
  const frames: Array<[0 | 1 | 2, string]> = [[1, 'out\n'], [2, 'err\n'], [1, ''], [1, 'ü'.repeat(100)]];
  const stream = Buffer.concat(frames.map(([s, d]) => encodeFrame(s, d)));
  for (const size of [1, 3, 8, 9, 1000]) {
    const dec = new FrameDecoder();
    const got: Array<[number, string]> = [];
    for (let i = 0; i < stream.length; i += size) for (const f of dec.push(stream.subarray(i, i + size))) got.push([f.stream, f.data.toString()]);
    assert.deepEqual(got, frames, `chunk size ${size}`);
    assert.equal(dec.pending, 0);
  }
});

test('decoder: a bad header is an error, a truncated frame stays pending', () => {
  assert.throws(() => new FrameDecoder().push(Buffer.from([7, 0, 0, 0, 0, 0, 0, 0])), /invalid stream frame header/);
  const dec = new FrameDecoder();
  assert.deepEqual(dec.push(encodeFrame(1, 'abcdef').subarray(0, 10)), []);
  assert.equal(dec.pending, 10);
});
