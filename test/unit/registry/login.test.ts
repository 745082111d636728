import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialsOf, decodeAuthHeader, encodeAuthHeader, registryDomain } from '../../../runtime/registry/login';

const domains: Array<[string | undefined, string]> = [
  [undefined, 'docker.io'], ['https://index.docker.io/v1/', 'docker.io'], ['registry-1.docker.io', 'docker.io'],
  ['localhost:5000', 'localhost:5000'], ['http://127.0.0.1:5000/', '127.0.0.1:5000'], ['GHCR.io', 'ghcr.io'],
];
for (const [input, want] of domains) test(`registry domain of ${input} is ${want}`, () => assert.equal(registryDomain(input), want));

test('X-Registry-Auth round trip, URL-safe and standard base64 alike', () => {
  const config = { username: 'a', password: 'p?>~', serveraddress: 'localhost:5000' };
  assert.deepEqual(decodeAuthHeader(encodeAuthHeader(config)), config);
  assert.deepEqual(decodeAuthHeader(Buffer.from(JSON.stringify(config)).toString('base64')), config);
  assert.equal(decodeAuthHeader(''), undefined);
  assert.equal(decodeAuthHeader(undefined), undefined);
  assert.throws(() => decodeAuthHeader('not json!'), /invalid X-Registry-Auth header/);
});

test('credentials from an auth config', () => {
  assert.deepEqual(credentialsOf({ username: 'u', password: 'p' }), { username: 'u', password: 'p' });
  assert.deepEqual(credentialsOf({ username: 'u', identitytoken: 't' }), { identityToken: 't' });
  assert.equal(credentialsOf({}), undefined);
  assert.equal(credentialsOf(undefined), undefined);
});
