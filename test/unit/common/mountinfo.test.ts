// Mount points under a directory, from mountinfo text (octal escapes decoded).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mountPointsUnder, mountsUnder, unescapeMountPath } from '../../../runtime/common/mountinfo';

const line = (id: number, point: string) => `${id} 1 0:${id} / ${point} rw,relatime shared:1 - overlay overlay rw,lowerdir=/l`;
const MOUNTINFO = [
  line(20, '/'),
  line(21, '/tmp/box'),
  line(22, '/tmp/box/state/merged'),
  line(23, '/tmp/box/a\\040b'),
  line(24, '/tmp/box-other'),
  line(25, '/tmp/box/state/merged'), // stacked on the same point
  line(26, '/tmp/box/tab\\011and\\134slash'),
  '',
].join('\n');

const rows: Array<[string, string, string[]]> = [
  ['the dir itself and below, deepest first, each once', '/tmp/box', ['/tmp/box/tab\tand\\slash', '/tmp/box/state/merged', '/tmp/box/a b', '/tmp/box']],
  ['a trailing slash is the same dir', '/tmp/box/', ['/tmp/box/tab\tand\\slash', '/tmp/box/state/merged', '/tmp/box/a b', '/tmp/box']],
  ['a sibling with the same prefix is not below', '/tmp/box-other', ['/tmp/box-other']],
  ['a dir with a space, decoded', '/tmp/box/a b', ['/tmp/box/a b']],
  ['nothing mounted there', '/srv', []],
];
for (const [name, dir, want] of rows) test(`mountPointsUnder: ${name}`, () => assert.deepEqual(mountPointsUnder(MOUNTINFO, dir), want));

const escapes: Array<[string, string]> = [['/a\\040b', '/a b'], ['/t\\011x', '/t\tx'], ['/n\\012x', '/n\nx'], ['/b\\134x', '/b\\x'], ['/plain', '/plain']];
for (const [field, want] of escapes) test(`unescapeMountPath(${JSON.stringify(field)})`, () => assert.equal(unescapeMountPath(field), want));

test('mountsUnder reads this process\'s mount table', () => {
  assert.ok(mountsUnder('/').includes('/'), 'the root is mounted');
});
