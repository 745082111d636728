import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_VERSION, MIN_API_VERSION, compareApiVersions, negotiateApiVersion } from '../../../runtime/service/api-version';

test('supported range is 1.24 … 1.45', () => {
  assert.equal(API_VERSION, '1.45');
  assert.equal(MIN_API_VERSION, '1.24');
});

const compare: Array<[string, string, number]> = [
  ['1.45', '1.45', 0], ['1.9', '1.10', -1], ['1.10', '1.9', 1], ['2.0', '1.99', 1], ['1.24', '1.45', -1],
];
for (const [a, b, sign] of compare) {
  test(`compare ${a} vs ${b}`, () => assert.equal(Math.sign(compareApiVersions(a, b)), sign));
}

// [requested, result or error pattern]
const cases: Array<[string | undefined, string | RegExp]> = [
  [undefined, '1.45'],
  ['1.45', '1.45'],
  ['1.24', '1.24'],
  ['1.40', '1.40'],
  ['1.46', /^client version 1\.46 is too new\. Maximum supported API version is 1\.45$/],
  ['2.0', /too new/],
  ['1.23', /^client version 1\.23 is too old\. Minimum supported API version is 1\.24, please upgrade your client to a newer version$/],
  ['1.x', /invalid API version: "1\.x"/],
];
for (const [requested, expected] of cases) {
  test(`negotiate ${requested ?? '(none)'}`, () => {
    if (typeof expected === 'string') assert.equal(negotiateApiVersion(requested), expected);
    else assert.throws(() => negotiateApiVersion(requested), (e: unknown) => (e as { status: number }).status === 400 && expected.test((e as Error).message));
  });
}
