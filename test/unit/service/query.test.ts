import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Filters, Query } from '../../../runtime/service/query';

// Docker's BoolValue semantics.
const bools: Array<[string, boolean]> = [
  ['all=1', true], ['all=true', true], ['all=True', true], ['all=yes', true], ['all=anything', true],
  ['all=0', false], ['all=false', false], ['all=FALSE', false], ['all=no', false], ['all=none', false], ['all=', false], ['', false],
];
for (const [search, expected] of bools) {
  test(`bool "${search}" → ${expected}`, () => assert.equal(Query.parse(search).bool('all'), expected));
}

test('bool fallback applies only when absent', () => {
  assert.equal(Query.parse('').bool('stream', true), true);
  assert.equal(Query.parse('stream=0').bool('stream', true), false);
});

test('int parses integers and rejects the rest naming the parameter', () => {
  assert.equal(Query.parse('t=10').int('t'), 10);
  assert.equal(Query.parse('t=-1').int('t'), -1);
  assert.equal(Query.parse('').int('t', 5), 5);
  assert.throws(() => Query.parse('t=1.5').int('t'), /invalid value for t: "1\.5"/);
});

test('repeated parameters', () => assert.deepEqual(Query.parse('t=a&t=b').all('t'), ['a', 'b']));

const filterCases: Array<[string, Record<string, string[]>]> = [
  ['', {}],
  ['{"type":{"container":true}}', { type: ['container'] }],
  ['{"type":{"container":true,"image":false}}', { type: ['container'] }],
  ['{"type":["container","image"]}', { type: ['container', 'image'] }],
  ['{"label":{"a=b":true},"event":["start"]}', { label: ['a=b'], event: ['start'] }],
];
for (const [json, expected] of filterCases) {
  test(`filters ${json || '(empty)'}`, () => {
    const f = Query.parse(`filters=${encodeURIComponent(json)}`).filters();
    assert.deepEqual(Object.fromEntries(f.keys().map((k) => [k, [...f.get(k)]])), expected);
  });
}

const badFilters = ['{', '[]', '"x"', '{"type":"container"}', '{"type":{"container":"yes"}}', '{"type":[1]}'];
for (const json of badFilters) {
  test(`invalid filters ${json} → 400`, () => {
    assert.throws(() => Filters.parse(json), (e: unknown) => (e as { status: number }).status === 400 && /invalid filters/.test((e as Error).message));
  });
}

test('accepts: absent key accepts everything, present key needs a match', () => {
  const f = Filters.parse('{"type":["container"]}');
  assert.equal(f.accepts('event', () => false), true);
  assert.equal(f.accepts('type', (v) => v === 'container'), true);
  assert.equal(f.accepts('type', (v) => v === 'image'), false);
});

test('validate rejects unknown keys with Docker\'s message', () => {
  assert.throws(() => Filters.parse('{"bogus":["x"]}').validate(['type']), /^InvalidArgumentError: invalid filter 'bogus'$/);
  assert.doesNotThrow(() => Filters.parse('{"type":["x"]}').validate(['type']));
});
