import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ApiClient, ServiceUnavailableError, buildPath, errorFromResponse, ndjson } from '../../../runtime/client/client';
import { ConflictError, InvalidArgumentError, NotFoundError, SlipwayError } from '../../../runtime/errors';

const paths: Array<[string, Parameters<typeof buildPath>[2], string]> = [
  ['/_ping', undefined, '/v1.45/_ping'],
  ['/containers/json', { all: true, limit: 3, size: false }, '/v1.45/containers/json?all=1&limit=3&size=0'],
  ['/events', { filters: { type: ['container'] }, since: undefined }, `/v1.45/events?filters=${encodeURIComponent('{"type":["container"]}')}`],
  ['/images/create', { fromImage: 'busybox', tag: 'latest' }, '/v1.45/images/create?fromImage=busybox&tag=latest'],
];
for (const [p, query, expected] of paths) {
  test(`buildPath ${p}`, () => assert.equal(buildPath('1.45', p, query), expected));
}

// [status, body, expected class, expected message]
const errors: Array<[number, string, new (...a: never[]) => SlipwayError, string]> = [
  [400, '{"message":"invalid filter \'x\'"}', InvalidArgumentError, "invalid filter 'x'"],
  [404, '{"message":"no such container: web"}\n', NotFoundError, 'no such container: web'],
  [409, '{"message":"name in use"}', ConflictError, 'name in use'],
  [500, '{"message":"boom"}', SlipwayError, 'boom'],
  [503, 'plain text failure', SlipwayError, 'plain text failure'],
  [500, '', SlipwayError, 'GET /x failed with status 500'],
];
for (const [status, body, cls, message] of errors) {
  test(`errorFromResponse ${status} ${body.slice(0, 20)}`, () => {
    const err = errorFromResponse(status, body, 'GET', '/x');
    assert.ok(err instanceof cls);
    assert.equal(err.message, message);
    assert.equal(err.status, status);
  });
}

test('ndjson splits values across and within chunks', async () => {
  const chunks = ['{"a":1}\n{"b"', ':2}\n\n', '{"c":3}'];
  const got: unknown[] = [];
  for await (const v of ndjson(Readable.from(chunks))) got.push(v);
  assert.deepEqual(got, [{ a: 1 }, { b: 2 }, { c: 3 }]);
});

test('ndjson names a bad line', async () => {
  await assert.rejects(async () => { for await (const _ of ndjson(Readable.from(['{"a":1}\nnot json\n']))) { /* drain */ } }, /invalid JSON line in stream: not json/);
});

test('a missing socket is ServiceUnavailableError naming the socket', async () => {
  const socketPath = path.join(os.tmpdir(), `slipway-none-${process.pid}.sock`);
  const client = new ApiClient({ socketPath });
  await assert.rejects(client.get('/version'), (e: unknown) => e instanceof ServiceUnavailableError && e.status === 503 && e.message.includes(socketPath));
  assert.equal(await client.ping(), false);
  client.close();
  assert.equal(fs.existsSync(socketPath), false);
});

test('onUnavailable starts the service once, then the requests that found no socket are sent again', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-client-'));
  const socketPath = path.join(dir, 's.sock');
  const seen: string[] = [];
  const server = http.createServer((req, res) => { seen.push(`${req.method} ${req.url}`); res.setHeader('Content-Type', 'application/json'); res.end('{"ok":true}'); });
  let starts = 0;
  const client = new ApiClient({
    socketPath,
    onUnavailable: async () => { starts++; await new Promise<void>((r) => server.listen(socketPath, r)); },
  });
  try {
    const [a, b] = await Promise.all([client.get('/a'), client.post('/b', { x: 1 })]);
    assert.deepEqual([a, b], [{ ok: true }, { ok: true }]);
    assert.equal(starts, 1);
    assert.deepEqual(seen.sort(), ['GET /v1.45/a', 'POST /v1.45/b']);
  } finally {
    client.close();
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('onUnavailable: a stream body is not sent twice; its failure is the caller\'s', async () => {
  const socketPath = path.join(os.tmpdir(), `slipway-none-${process.pid}-stream.sock`);
  let starts = 0;
  const client = new ApiClient({ socketPath, onUnavailable: async () => { starts++; } });
  await assert.rejects(client.request('POST', '/build', { body: Readable.from(['data']) }), ServiceUnavailableError);
  assert.equal(starts, 0);
  client.close();
});
