// The token flow against a fake fetch: which requests are made, what is cached, and that no
// secret reaches an error message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Authenticator } from '../../../runtime/registry/auth';
import { Transport, type FetchLike } from '../../../runtime/registry/transport';

interface Seen { url: string; method: string; authorization?: string; body?: string }

function fakeTokenServer(answer: (req: Seen) => { status: number; json?: unknown }) {
  const seen: Seen[] = [];
  const fetch: FetchLike = async (url, init) => {
    const headers = new Headers(init.headers);
    const req: Seen = { url, method: init.method ?? 'GET', authorization: headers.get('authorization') ?? undefined, body: init.body ? String(init.body) : undefined };
    seen.push(req);
    const { status, json } = answer(req);
    return new Response(json === undefined ? null : JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } });
  };
  return { seen, transport: new Transport({ fetch, env: {} }) };
}

const challenge = 'Bearer realm="https://auth.example.com/token",service="reg.example.com",scope="repository:a/b:pull"';

test('anonymous bearer: GET realm with service and scopes, token cached per scope set until it expires', async () => {
  let now = 1_000_000;
  const server = fakeTokenServer(() => ({ status: 200, json: { token: 'T1', expires_in: 60 } }));
  const auth = new Authenticator(server.transport, async () => undefined, () => now);
  const header = await auth.authorize('reg.example.com', ['repository:a/b:pull'], challenge);
  assert.equal(header, 'Bearer T1');
  const url = new URL(server.seen[0].url);
  assert.equal(url.origin + url.pathname, 'https://auth.example.com/token');
  assert.equal(url.searchParams.get('service'), 'reg.example.com');
  assert.deepEqual(url.searchParams.getAll('scope'), ['repository:a/b:pull']);
  assert.equal(server.seen[0].authorization, undefined);
  assert.equal(auth.cached('reg.example.com', ['repository:a/b:pull']), 'Bearer T1');
  assert.equal(auth.cached('reg.example.com', ['repository:a/b:pull,push']), undefined, 'another scope set has no token');
  now += 51_000; // 60 s minus the 10 s safety margin has passed
  assert.equal(auth.cached('reg.example.com', ['repository:a/b:pull']), undefined);
});

test('credentialed bearer: Basic to the token server, access_token preferred, account sent', async () => {
  const server = fakeTokenServer(() => ({ status: 200, json: { token: 'old', access_token: 'NEW' } }));
  const auth = new Authenticator(server.transport, async () => ({ username: 'u', password: 'pw' }));
  assert.equal(await auth.authorize('reg.example.com', ['repository:a/b:pull,push'], challenge), 'Bearer NEW');
  assert.equal(server.seen[0].authorization, `Basic ${Buffer.from('u:pw').toString('base64')}`);
  const url = new URL(server.seen[0].url);
  assert.equal(url.searchParams.get('account'), 'u');
  assert.deepEqual(url.searchParams.getAll('scope'), ['repository:a/b:pull,push', 'repository:a/b:pull']);
});

test('identity token: POST grant_type=refresh_token', async () => {
  const server = fakeTokenServer(() => ({ status: 200, json: { access_token: 'A' } }));
  const auth = new Authenticator(server.transport, async () => ({ identityToken: 'refresh-secret' }));
  assert.equal(await auth.authorize('reg.example.com', ['repository:a/b:pull'], challenge), 'Bearer A');
  assert.equal(server.seen[0].method, 'POST');
  const form = new URLSearchParams(server.seen[0].body);
  assert.equal(form.get('grant_type'), 'refresh_token');
  assert.equal(form.get('refresh_token'), 'refresh-secret');
  assert.equal(form.get('service'), 'reg.example.com');
});

test('wrong credentials: 401 with a message that names the registry and not the secret', async () => {
  const server = fakeTokenServer(() => ({ status: 401 }));
  const auth = new Authenticator(server.transport, async () => ({ username: 'u', password: 'hunter2' }));
  await assert.rejects(auth.authorize('reg.example.com', [], challenge), (err: Error & { status: number }) => {
    assert.equal(err.status, 401);
    assert.equal(err.message, 'unauthorized: incorrect username or password for reg.example.com');
    return true;
  });
});

test('basic challenge uses stored credentials and needs some', async () => {
  const server = fakeTokenServer(() => ({ status: 500 }));
  const withCreds = new Authenticator(server.transport, async () => ({ username: 'u', password: 'p' }));
  assert.equal(await withCreds.authorize('r:1', [], 'Basic realm="x"'), `Basic ${Buffer.from('u:p').toString('base64')}`);
  assert.equal(withCreds.cached('r:1', ['anything']), `Basic ${Buffer.from('u:p').toString('base64')}`);
  const without = new Authenticator(server.transport);
  await assert.rejects(without.authorize('r:1', [], 'Basic realm="x"'), /registry r:1 requires a login/);
  await assert.rejects(without.authorize('r:1', [], 'Negotiate'), /no supported authentication scheme/);
  assert.equal(server.seen.length, 0);
});

test('concurrent 401s share one token request', async () => {
  const server = fakeTokenServer(() => ({ status: 200, json: { token: 'T' } }));
  const auth = new Authenticator(server.transport);
  const headers = await Promise.all([1, 2, 3].map(() => auth.authorize('reg.example.com', ['repository:a/b:pull'], challenge)));
  assert.deepEqual(headers, ['Bearer T', 'Bearer T', 'Bearer T']);
  assert.equal(server.seen.length, 1);
});

const baseCases: Array<[string, string[], string]> = [
  ['docker.io', [], 'https://registry-1.docker.io'],
  ['localhost:5000', [], 'http://localhost:5000'],
  ['127.0.0.1:5000', [], 'http://127.0.0.1:5000'],
  ['[::1]:5000', [], 'http://[::1]:5000'],
  ['registry.example.com', [], 'https://registry.example.com'],
  ['registry.example.com:5000', ['registry.example.com:5000'], 'http://registry.example.com:5000'],
  ['10.0.0.5:5000', ['10.0.0.5'], 'http://10.0.0.5:5000'],
];
for (const [domain, insecure, want] of baseCases) {
  test(`base URL of ${domain}${insecure.length ? ' (insecure)' : ''} is ${want}`, () => {
    assert.equal(new Transport({ insecureRegistries: insecure, env: {}, fetch: async () => new Response() }).baseUrl(domain), want);
  });
}

test('insecure registries from SLIPWAY_INSECURE_REGISTRIES', () => {
  const t = new Transport({ env: { SLIPWAY_INSECURE_REGISTRIES: 'a.example:5000, b.example' }, fetch: async () => new Response() });
  assert.equal(t.baseUrl('a.example:5000'), 'http://a.example:5000');
  assert.equal(t.baseUrl('b.example'), 'http://b.example');
  assert.equal(t.baseUrl('c.example'), 'https://c.example');
});

test('a 401 that raced a token fetch reuses the new token instead of asking again', async () => {
  const server = fakeTokenServer(() => ({ status: 200, json: { token: `T${Math.random()}` } }));
  const auth = new Authenticator(server.transport);
  const first = await auth.authorize('reg.example.com', ['repository:a/b:pull'], challenge, undefined);
  assert.equal(await auth.authorize('reg.example.com', ['repository:a/b:pull'], challenge, undefined), first, 'sent without a token: the cached one is tried');
  const renewed = await auth.authorize('reg.example.com', ['repository:a/b:pull'], challenge, first);
  assert.notEqual(renewed, first, 'the cached token itself was refused: a new one is fetched');
  assert.equal(server.seen.length, 2);
});
