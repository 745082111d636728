import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { frame } from '../../../../extension/terminals/demux';
import { TerminalSession, type StreamTerminalOptions, type TerminalSize } from '../../../../extension/terminals/session';

/** A session over in-memory streams, recording what the terminal shows and what is sent. */
function harness(options: Partial<StreamTerminalOptions> & { tty: boolean }) {
  const output = new PassThrough();
  const input = new PassThrough();
  const sent: string[] = [];
  input.on('data', (b: Buffer) => sent.push(b.toString()));
  const screen: string[] = [];
  const closed: Array<number | undefined> = [];
  const calls = { detached: 0, resized: [] as TerminalSize[], connectedWith: undefined as TerminalSize | undefined };
  const session = new TerminalSession({
    connect: async (dims) => {
      calls.connectedWith = dims;
      return { output, input, close: () => { calls.detached += 1; } };
    },
    resize: async (d) => { calls.resized.push(d); },
    ...options,
  }, { write: (t) => screen.push(t), close: (c) => closed.push(c) });
  const text = () => screen.join('');
  return { session, output, input, sent, screen, text, closed, calls };
}

test('tty: raw bytes both ways, multi-byte characters split across chunks, resize forwarded', async () => {
  const h = harness({ tty: true });
  h.session.open({ rows: 24, columns: 80 });
  await tick();
  assert.deepEqual(h.calls.connectedWith, { rows: 24, columns: 80 });
  const euro = Buffer.from('€\r\n');
  h.output.write(Buffer.from('$ '));
  h.output.write(euro.subarray(0, 1));
  h.output.write(euro.subarray(1));
  await tick();
  assert.equal(h.text(), '$ €\r\n');
  h.session.input('ls\r');
  h.session.resize({ rows: 40, columns: 120 });
  await tick();
  assert.deepEqual(h.sent, ['ls\r']);
  assert.deepEqual(h.calls.resized, [{ rows: 40, columns: 120 }]);
});

test('no tty: frames are demultiplexed, LF becomes CRLF, stderr is red, input is echoed', async () => {
  const h = harness({ tty: false });
  h.session.open(undefined);
  await tick();
  const bytes = Buffer.concat([frame('stdout', 'one\ntwo\n'), frame('stderr', 'bad\n')]);
  h.output.write(bytes.subarray(0, 5));
  h.output.write(bytes.subarray(5));
  await tick();
  assert.equal(h.text(), 'one\r\ntwo\r\n\x1b[31mbad\r\n\x1b[0m');
  h.session.input('hi\r');
  h.session.resize({ rows: 1, columns: 1 });
  await tick();
  assert.deepEqual(h.sent, ['hi\n']);
  assert.ok(h.text().endsWith('hi\r\n'));
  assert.deepEqual(h.calls.resized, [], 'no resize without a tty');
});

test('the process ends: its exit code is shown; the next key closes the terminal with it', async () => {
  const h = harness({ tty: true, exitCode: async () => 3 });
  h.session.open(undefined);
  await tick();
  h.output.end('bye\r\n');
  h.output.resume();
  await new Promise((r) => setTimeout(r, 20));
  assert.match(h.text(), /\[process exited with code 3\] press any key to close/);
  assert.deepEqual(h.closed, []);
  h.session.input('x');
  assert.deepEqual(h.closed, [3]);
  assert.deepEqual(h.sent, [], 'keys after the end are not sent');
});

test('closing the terminal detaches: the stream is closed, nothing is killed, no exit message', async () => {
  let asked = 0;
  const h = harness({ tty: true, exitCode: async () => { asked += 1; return 0; } });
  h.session.open(undefined);
  await tick();
  h.session.close();
  h.output.end();
  h.output.resume();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(h.calls.detached, 1);
  assert.equal(asked, 0);
  assert.doesNotMatch(h.text(), /exited/);
});

test('a failed connection is shown, and a key closes', async () => {
  const screen: string[] = [];
  const closed: Array<number | undefined> = [];
  const s = new TerminalSession({ tty: true, connect: async () => { throw new Error('no such container: web'); } }, { write: (t) => screen.push(t), close: (c) => closed.push(c) });
  s.open(undefined);
  await tick();
  assert.match(screen.join(''), /no such container: web/);
  s.input('q');
  assert.deepEqual(closed, [undefined]);
});

test('a logs stream that ends says so', async () => {
  const h = harness({ tty: false, endMessage: 'end of the log' });
  h.session.open(undefined);
  await tick();
  h.output.end(frame('stdout', 'last line\n'));
  h.output.resume();
  await new Promise((r) => setTimeout(r, 20));
  assert.match(h.text(), /last line\r\n[\s\S]*\[end of the log\]/);
});
