import assert from 'node:assert/strict';
import { test } from 'node:test';
import { presentStatus } from '../../../../extension/service/presentation';

const location = { socketPath: '/run/x/slipway.sock', stateRoot: '/var/lib/x' };

test('connected shows "Slipway <version>" without a warning', () => {
  const p = presentStatus({ kind: 'connected', version: { Version: '1.2.3', ApiVersion: '1.47' }, since: 0 }, location);
  assert.equal(p.text, 'Slipway 1.2.3');
  assert.equal(p.warning, false);
  assert.match(p.tooltip, /1\.2\.3 \(API 1\.47\)/);
  assert.match(p.tooltip, /\/run\/x\/slipway\.sock/);
});

test('unreachable is a warning whose tooltip names the socket, the error and the retry', () => {
  const p = presentStatus({ kind: 'unreachable', error: 'connect ENOENT /run/x/slipway.sock', attempt: 2, retryInMs: 1500 }, location);
  assert.equal(p.warning, true);
  assert.doesNotMatch(p.text, /\d/);
  for (const part of ['Socket: /run/x/slipway.sock', 'Error: connect ENOENT', 'Retrying in 2 s']) assert.ok(p.tooltip.includes(part), part);
});

test('connecting counts attempts after the first', () => {
  assert.doesNotMatch(presentStatus({ kind: 'connecting', attempt: 0 }, location).tooltip, /attempt/);
  assert.match(presentStatus({ kind: 'connecting', attempt: 3 }, location).tooltip, /attempt 4/);
});
