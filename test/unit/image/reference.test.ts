import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReference, formatReference, familiarName, normalizeReference } from '../../../runtime/image/reference';
import { InvalidArgumentError } from '../../../runtime/errors';

const D = 'sha256:' + 'ab'.repeat(32);

const good: [string, string, string][] = [
  // input, canonical, familiar
  ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
  ['library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['docker.io/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['user/app:v1', 'docker.io/user/app:v1', 'user/app:v1'],
  ['localhost/x', 'localhost/x:latest', 'localhost/x:latest'],
  ['localhost:5000/x', 'localhost:5000/x:latest', 'localhost:5000/x:latest'],
  ['host.example.com:5000/a/b:tag@' + D, 'host.example.com:5000/a/b:tag@' + D, 'host.example.com:5000/a/b:tag@' + D],
  ['python@' + D, 'docker.io/library/python@' + D, 'python@' + D],
  ['127.0.0.1:5000/a_b__c-d.e:1.0-rc', '127.0.0.1:5000/a_b__c-d.e:1.0-rc', '127.0.0.1:5000/a_b__c-d.e:1.0-rc'],
  ['[::1]:5000/x', '[::1]:5000/x:latest', '[::1]:5000/x:latest'],
  ['Registry.Example/x', 'Registry.Example/x:latest', 'Registry.Example/x:latest'],
];

for (const [input, canonical, familiar] of good) {
  test(`reference ${input}`, () => {
    const ref = parseReference(input);
    assert.equal(formatReference(ref), canonical);
    assert.equal(familiarName(ref), familiar);
    assert.equal(normalizeReference(canonical), canonical, 'normalising is idempotent');
  });
}

test('defaultTag: false keeps the tag absent', () => {
  assert.equal(parseReference('busybox', { defaultTag: false }).tag, undefined);
});

const bad: [string, RegExp][] = [
  ['', /empty reference/],
  ['Busybox', /must be lowercase/],
  ['busybox:', /invalid tag ""/],
  ['busybox:-x', /invalid tag "-x"/],
  ['busybox@sha256:abc', /64 lower-case hex/],
  ['busybox@nope', /invalid digest/],
  ['a//b', /path component ""/],
  ['-a/b', /path component "-a"/],
  ['a b', /whitespace/],
  ['ab'.repeat(32), /64-byte hexadecimal/],
  ['host:port/x', /invalid port/],
  ['x'.repeat(256), /longer than 255/],
  [':tag', /missing repository/],
];

for (const [input, why] of bad) {
  test(`bad reference ${JSON.stringify(input.slice(0, 30))}`, () => {
    assert.throws(() => parseReference(input), (e: unknown) => {
      assert.ok(e instanceof InvalidArgumentError);
      assert.match(e.message, why);
      assert.ok(e.message.includes(`"${input}"`), 'the message names the reference');
      return true;
    });
  });
}
