import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingStore, touches } from '../../../../extension/language/findings';
import type { Finding } from '../../../../runtime/lint';

const r = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

// [a, b, touch?]
const cases: Array<[ReturnType<typeof r>, ReturnType<typeof r>, boolean]> = [
  [r(1, 0, 1, 10), r(1, 5, 1, 5), true],   // cursor inside
  [r(1, 0, 1, 10), r(1, 10, 1, 10), true], // cursor at the end
  [r(1, 0, 1, 10), r(2, 0, 2, 0), false],  // next line
  [r(1, 4, 3, 2), r(2, 0, 2, 9), true],    // multi-line finding
  [r(1, 4, 1, 8), r(1, 0, 1, 3), false],   // before it on the same line
];
for (const [a, b, want] of cases) {
  test(`touches ${JSON.stringify(a)} ${JSON.stringify(b)} → ${want}`, () => assert.equal(touches(a, b), want));
}

test('findings of a stale version are not offered', () => {
  const store = new FindingStore();
  const f: Finding = { code: 'DL3020', message: 'm', severity: 'error', range: r(1, 0, 1, 16), url: 'u', fixes: [] };
  store.set('file:///Dockerfile', 3, [f]);
  assert.deepEqual(store.at('file:///Dockerfile', 3, r(1, 2, 1, 2)), [f]);
  assert.deepEqual(store.at('file:///Dockerfile', 4, r(1, 2, 1, 2)), []);
  store.delete('file:///Dockerfile');
  assert.deepEqual(store.at('file:///Dockerfile', 3, r(1, 2, 1, 2)), []);
});
