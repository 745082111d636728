// What the CLI forwards of the input a terminal held before raw mode: whole lines as they are,
// each end-of-file marker as ^D, nothing of a partial line (it stays for raw reads).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { EOF_CHAR, isNonBlocking, takePendingInput } from '../../../../runtime/cli/commands/tty-input';

const EOF = Symbol('eof');

/**
 * A canonical-mode read(2) over what was typed: one line per read (through '\n'), or the text
 * before an EOF marker with the marker consumed (0 bytes when there is none); EAGAIN when only
 * a partial line (or nothing) is left. `hungUp` reads 0 for ever once the input is used up.
 */
function canonical(typed: Array<string | typeof EOF>, opts: { hungUp?: boolean } = {}) {
  const queue: Array<number | typeof EOF> = typed.flatMap((t): Array<number | typeof EOF> => (t === EOF ? [EOF] : [...Buffer.from(t)]));
  let reads = 0;
  const read = (buf: Buffer): number => {
    reads++;
    const end = queue.findIndex((c) => c === EOF || c === 0x0a);
    if (end < 0) {
      if (opts.hungUp) return 0;
      throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
    }
    const line = queue.splice(0, end + 1);
    const bytes = line.filter((c): c is number => c !== EOF);
    buf.set(bytes);
    return bytes.length;
  };
  return { read, left: () => Buffer.from(queue.filter((c): c is number => c !== EOF)).toString(), reads: () => reads };
}

const cases: Array<{ name: string; typed: Array<string | typeof EOF>; forwarded: string; left: string }> = [
  { name: 'nothing pending', typed: [], forwarded: '', left: '' },
  { name: 'a ^D alone (script at the end of its input)', typed: [EOF], forwarded: '\x04', left: '' },
  { name: 'lines, then a ^D', typed: ['ls\n', 'pwd\n', EOF], forwarded: 'ls\npwd\n\x04', left: '' },
  { name: 'text cut by a ^D', typed: ['abc', EOF, 'x\n'], forwarded: 'abc\x04x\n', left: '' },
  { name: 'a partial line stays for raw mode', typed: ['ls\n', 'unfinished'], forwarded: 'ls\n', left: 'unfinished' },
  { name: 'two ^Ds', typed: [EOF, EOF], forwarded: '\x04\x04', left: '' },
];

for (const c of cases) {
  test(`pending canonical input: ${c.name}`, () => {
    const tty = canonical(c.typed);
    const out = takePendingInput(tty.read);
    assert.equal(out.toString('latin1'), c.forwarded);
    assert.ok(!out.includes(0), 'never a NUL');
    assert.equal(tty.left(), c.left);
  });
}

test('pending canonical input: a hung-up terminal (0 for ever) stops after a few ^Ds', () => {
  const tty = canonical(['bye\n'], { hungUp: true });
  const out = takePendingInput(tty.read);
  assert.equal(out.subarray(0, 4).toString(), 'bye\n');
  assert.ok(out.length > 4 && out.subarray(4).every((b) => b === EOF_CHAR), 'then only ^Ds');
  assert.ok(tty.reads() <= 10, `${tty.reads()} reads`);
});

test('pending canonical input: errors other than EAGAIN are thrown', () => {
  assert.throws(() => takePendingInput(() => { throw Object.assign(new Error('EIO'), { code: 'EIO' }); }), /EIO/);
});

test('isNonBlocking reads O_NONBLOCK from fdinfo', (t) => {
  const fd = fs.openSync('/dev/null', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const blocking = fs.openSync('/dev/null', fs.constants.O_RDONLY);
  t.after(() => { fs.closeSync(fd); fs.closeSync(blocking); });
  assert.deepEqual([isNonBlocking(fd), isNonBlocking(blocking), isNonBlocking(987654)], [true, false, false]);
});
