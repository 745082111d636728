import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { REDACTED, createLogger, formatHumanLine, redact } from '../../../runtime/service/log';

const secrets: Array<[string, unknown, unknown]> = [
  ['password', { username: 'me', password: 'hunter2' }, { username: 'me', password: REDACTED }],
  ['nested auth', { registry: { auth: 'dXNlcjpwYXNz', serveraddress: 'r' } }, { registry: { auth: REDACTED, serveraddress: 'r' } }],
  ['token in arrays', [{ identitytoken: 'x' }], [{ identitytoken: REDACTED }]],
  ['X-Registry-Auth header', { 'X-Registry-Auth': 'eyJ9' }, { 'X-Registry-Auth': REDACTED }],
  ['empty secret stays empty', { password: '' }, { password: '' }],
  ['plain values untouched', { path: '/x', n: 1 }, { path: '/x', n: 1 }],
];
for (const [name, input, expected] of secrets) {
  test(`redact: ${name}`, () => assert.deepEqual(redact(input), expected));
}

test('errors become message + stack', () => {
  const out = redact({ err: new Error('boom', { cause: new Error('EPERM') }) }) as { err: { message: string; stack: string } };
  assert.equal(out.err.message, 'boom: EPERM');
  assert.match(out.err.stack, /Error: boom/);
});

test('human line: level, message, key=value, quoted when spaced', () => {
  assert.equal(formatHumanLine('info', 'listening', { socket: '/run/s.sock', note: 'a b' }), 'INFO  listening socket=/run/s.sock note="a b"');
});

test('logger writes redacted JSON lines to the file and respects the level', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-log-'));
  try {
    const file = path.join(dir, 'service.log');
    let human = '';
    const stderr = new Writable({ write(chunk, _enc, cb) { human += String(chunk); cb(); } });
    const log = createLogger({ file, stderr, level: 'info' });
    log.debug('hidden');
    log.info('login', { password: 'hunter2', user: 'me' });
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 1);
    assert.equal(lines[0].msg, 'login');
    assert.equal(lines[0].password, REDACTED);
    assert.equal(lines[0].level, 'info');
    assert.ok(!fs.readFileSync(file, 'utf8').includes('hunter2'));
    assert.ok(!human.includes('hunter2') && human.includes('login'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a broken stderr (EPIPE) is dropped after its first error, and logging goes on', async () => {
  let writes = 0;
  const stderr = new Writable({
    write(_chunk, _enc, cb) {
      writes++;
      cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    },
  });
  const log = createLogger({ stderr, level: 'info' });
  log.info('first');
  await new Promise((r) => setImmediate(r));
  log.error('second');
  log.error('third');
  assert.equal(writes, 1, 'no write after the pipe broke');
});
