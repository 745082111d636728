import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RetryableStatus, backoffDelay, isRetryableError, isRetryableStatus, parseRetryAfter, withRetry } from '../../../runtime/registry/retry';

const statusCases: Array<[number, boolean]> = [[500, true], [502, true], [503, true], [504, true], [429, true], [408, true], [501, false], [400, false], [401, false], [404, false], [200, false]];
for (const [status, want] of statusCases) test(`status ${status} retryable: ${want}`, () => assert.equal(isRetryableStatus(status), want));

const sock = (code: string) => Object.assign(new Error('x'), { code });
const errorCases: Array<[string, unknown, boolean]> = [
  ['ECONNRESET', sock('ECONNRESET'), true],
  ['fetch failed wrapping ECONNREFUSED', new TypeError('fetch failed', { cause: sock('ECONNREFUSED') }), true],
  ['terminated body with undici socket error', new TypeError('terminated', { cause: sock('UND_ERR_SOCKET') }), true],
  ['an abort', Object.assign(new Error('aborted'), { name: 'AbortError' }), false],
  ['a plain error', new Error('digest mismatch'), false],
];
for (const [name, err, want] of errorCases) test(`error ${name} retryable: ${want}`, () => assert.equal(isRetryableError(err), want));

test('backoff grows exponentially up to the cap, with full jitter', () => {
  const policy = { attempts: 10, baseMs: 100, maxMs: 1000 };
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, undefined, () => 1)), [100, 200, 400, 800, 1000, 1000]);
  assert.equal(backoffDelay(3, policy, undefined, () => 0.5), 200);
  assert.equal(backoffDelay(1, policy, 5000, () => 1), 1000, 'Retry-After is capped');
  assert.equal(backoffDelay(1, policy, 300, () => 1), 300, 'Retry-After wins over the exponential delay');
});

test('Retry-After as seconds and as an HTTP date', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6_000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(null), undefined);
});

test('withRetry retries retryable failures until success, waiting the backoff', async () => {
  const waits: number[] = [];
  let calls = 0;
  const result = await withRetry(async () => {
    calls++;
    if (calls === 1) throw new RetryableStatus(503, 250, 'blob x');
    if (calls === 2) throw sock('ECONNRESET');
    return 'ok';
  }, { policy: { attempts: 5, baseMs: 10, maxMs: 1000 }, sleep: async (ms) => { waits.push(ms); } });
  assert.equal(result, 'ok');
  assert.equal(calls, 3);
  assert.equal(waits[0], 250);
  assert.ok(waits[1] >= 0 && waits[1] <= 20);
});

test('withRetry gives up after the attempts and never retries a non-retryable error', async () => {
  let calls = 0;
  await assert.rejects(withRetry(async () => { calls++; throw new RetryableStatus(500, undefined, 'x'); }, { policy: { attempts: 3, baseMs: 1, maxMs: 1 }, sleep: async () => undefined }), RetryableStatus);
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(withRetry(async () => { calls++; throw new Error('bad request'); }, { sleep: async () => undefined }), /bad request/);
  assert.equal(calls, 1);
});
