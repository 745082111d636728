import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Router, type Route } from '../../../runtime/service/router';
import { NotFoundError, InvalidArgumentError } from '../../../runtime/errors';
import { API_VERSION } from '../../../runtime/service/api-version';

const h = () => undefined;
const routes: Route[] = [
  { method: 'GET', path: '/_ping', handler: h },
  { method: 'HEAD', path: '/_ping', handler: h },
  { method: 'POST', path: '/containers/{id}/start', handler: h },
  { method: 'GET', path: '/containers/{id}/json', handler: h },
  { method: 'GET', path: '/images/{name*}/json', handler: h },
  { method: 'DELETE', path: '/images/{name*}', handler: h },
];
const router = new Router(routes);

// [method, raw path, expected route path, expected params, expected api version]
const matches: Array<[string, string, string, Record<string, string>, string]> = [
  ['GET', '/_ping', '/_ping', {}, API_VERSION],
  ['HEAD', '/_ping', '/_ping', {}, API_VERSION],
  ['GET', '/v1.41/_ping', '/_ping', {}, '1.41'],
  ['POST', '/v1.45/containers/web/start', '/containers/{id}/start', { id: 'web' }, '1.45'],
  ['POST', '/containers/abc123/start/', '/containers/{id}/start', { id: 'abc123' }, API_VERSION],
  ['GET', '/containers/my%20app/json', '/containers/{id}/json', { id: 'my app' }, API_VERSION],
  ['GET', '/v1.24/images/library/busybox:latest/json', '/images/{name*}/json', { name: 'library/busybox:latest' }, '1.24'],
  ['GET', '/images/localhost:5000/a/b:1/json', '/images/{name*}/json', { name: 'localhost:5000/a/b:1' }, API_VERSION],
  ['DELETE', '/images/sha256:abcd', '/images/{name*}', { name: 'sha256:abcd' }, API_VERSION],
];
for (const [method, raw, path, params, version] of matches) {
  test(`match ${method} ${raw}`, () => {
    const m = router.match(method, raw);
    assert.equal(m.route.path, path);
    assert.equal(m.route.method, method);
    assert.deepEqual(m.params, params);
    assert.equal(m.apiVersion, version);
  });
}

const notFound: Array<[string, string]> = [
  ['GET', '/nope'],
  ['POST', '/_ping'], // known path, other method
  ['GET', '/containers/a/b/json'], // {id} is one segment
  ['GET', '/v1.45'],
  ['GET', '/v9.99/nope'], // unknown path wins over a bad version, as in moby
  ['GET', '/images//json'],
];
for (const [method, raw] of notFound) {
  test(`404 page not found: ${method} ${raw}`, () => {
    assert.throws(() => router.match(method, raw), (e: unknown) => e instanceof NotFoundError && e.message === 'page not found' && e.status === 404);
  });
}

test('a too-new client version gets Docker\'s 400 message', () => {
  assert.throws(() => router.match('GET', '/v1.99/_ping'), (e: unknown) => e instanceof InvalidArgumentError
    && e.message === `client version 1.99 is too new. Maximum supported API version is ${API_VERSION}`);
});

test('duplicate routes are refused when the table is built', () => {
  assert.throws(() => new Router([routes[0], { ...routes[0] }]), /duplicate route: GET \/_ping/);
});

test('malformed route templates are refused', () => {
  assert.throws(() => new Router([{ method: 'GET', path: '/a/{b', handler: h }]), /bad route segment/);
  assert.throws(() => new Router([{ method: 'GET', path: 'a', handler: h }]), /must start with/);
});
