import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChallenges, repositoryScope } from '../../../runtime/registry/www-authenticate';

const cases: Array<[string, string | string[] | undefined, ReturnType<typeof parseChallenges>]> = [
  ['Docker Hub bearer', 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
    [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } }]],
  ['basic', 'Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
  ['scheme is case-insensitive, params lower-cased, spaces around =', 'BEARER Realm = "r" , Service=svc', [{ scheme: 'bearer', params: { realm: 'r', service: 'svc' } }]],
  ['two challenges in one header', 'Basic realm="a", Bearer realm="https://t/x",scope="repository:a:pull,push"',
    [{ scheme: 'basic', params: { realm: 'a' } }, { scheme: 'bearer', params: { realm: 'https://t/x', scope: 'repository:a:pull,push' } }]],
  ['quoted comma and escaped quote', 'Bearer realm="https://t/x",error="insufficient_scope",scope="repository:a:pull,push repository:b:pull",x="a\\"b"',
    [{ scheme: 'bearer', params: { realm: 'https://t/x', error: 'insufficient_scope', scope: 'repository:a:pull,push repository:b:pull', x: 'a"b' } }]],
  ['several header values', ['Basic realm="a"', 'Bearer realm="b"'], [{ scheme: 'basic', params: { realm: 'a' } }, { scheme: 'bearer', params: { realm: 'b' } }]],
  ['scheme without params', 'Negotiate', [{ scheme: 'negotiate', params: {} }]],
  ['empty', '', []],
  ['missing', undefined, []],
];

for (const [name, header, want] of cases) {
  test(`WWW-Authenticate: ${name}`, () => assert.deepEqual(parseChallenges(header), want));
}

test('repository scope', () => {
  assert.equal(repositoryScope('library/busybox', ['pull']), 'repository:library/busybox:pull');
  assert.equal(repositoryScope('a/b', ['pull', 'push']), 'repository:a/b:pull,push');
});
