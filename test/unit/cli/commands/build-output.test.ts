// slipway build's output when things go wrong: the location printed once, in the user's terms,
// and a lost service connection said as such (not Node's bare "aborted").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRenderer, isConnectionLoss, lostConnectionMessage } from '../../../../runtime/cli/commands/build';
import { SlipwayError } from '../../../../runtime/errors';
import { ServiceUnavailableError } from '../../../../runtime/client/client';

const range = { start: { line: 2, character: 0 }, end: { line: 4, character: 3 } };

test('build error: one location, the Dockerfile as the user named it', () => {
  const text = buildRenderer()({ type: 'build-error', buildId: 'b', message: 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3', file: 'Dockerfile', range, exitCode: 3 });
  assert.equal(text, 'ERROR: Dockerfile:3: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3\n');
  assert.equal(buildRenderer()({ type: 'build-error', buildId: 'b', message: 'base image x is not in the store' }), 'ERROR: base image x is not in the store\n');
});

const withCode = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});
const lossCases: Array<[string, unknown, boolean]> = [
  ['Node\'s "aborted" (the response cut short)', withCode('aborted', 'ECONNRESET'), true],
  ['"socket hang up"', withCode('socket hang up', 'ECONNRESET'), true],
  ['a premature close', withCode('Premature close', 'ERR_STREAM_PREMATURE_CLOSE'), true],
  ['an HTTP error answer of the service', new SlipwayError('no such image', { status: 404 }), false],
  ['the service not running at all', new ServiceUnavailableError('/run/x.sock'), false],
  ['any other error', new Error('boom'), false],
];
for (const [name, err, want] of lossCases) {
  test(`connection loss: ${name} → ${want}`, () => {
    assert.equal(isConnectionLoss(err), want);
  });
}

test('connection loss message: says what happened, where the log is and what to do', () => {
  const m = lostConnectionMessage('/var/lib/slipway');
  assert.match(m, /connection to the slipway service was lost during the build/);
  assert.match(m, /\/var\/lib\/slipway\/service\.log/);
  assert.match(m, /run the build again/);
  assert.doesNotMatch(m, /^aborted$/);
});
