import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../../extension/service/backoff';

const exact = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0 };

test('delays double from the initial delay and stop at the cap', () => {
  const table: [number, number][] = [[0, 500], [1, 1000], [2, 2000], [5, 16_000], [6, 30_000], [7, 30_000], [1000, 30_000]];
  for (const [attempt, ms] of table) assert.equal(backoffDelay(attempt, exact), ms, `attempt ${attempt}`);
});

test('jitter shortens a delay by at most its fraction', () => {
  const opts = { ...exact, jitter: 0.2 };
  assert.equal(backoffDelay(3, opts, () => 0), 4000);
  assert.equal(backoffDelay(3, opts, () => 1), 3200);
  assert.equal(backoffDelay(3, opts, () => 0.5), 3600);
});

test('the default policy retries within half a second and caps at thirty seconds', () => {
  assert.ok(backoffDelay(0, DEFAULT_BACKOFF) <= 500);
  assert.ok(backoffDelay(50, DEFAULT_BACKOFF) <= 30_000);
  assert.ok(backoffDelay(50, DEFAULT_BACKOFF) >= 30_000 * (1 - DEFAULT_BACKOFF.jitter));
});

test('a negative or fractional attempt is refused, naming the value', () => {
  for (const bad of [-1, 1.5, Number.NaN]) assert.throws(() => backoffDelay(bad, exact), new RegExp(`got ${bad}`));
});
