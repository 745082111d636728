// The API server end to end on a real Unix socket in a temp dir (no root needed): routing,
// Docker-shaped errors, bad input, streaming, hijacking, shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ConflictError } from '../../../runtime/errors';
import { ApiClient } from '../../../runtime/client/client';
import type { Route } from '../../../runtime/service/router';
import { routes as serviceRoutes } from '../../../runtime/service/routes/index';
import { startService, type RunningService } from '../../../runtime/service/start';
import { lockPath } from '../../../runtime/service/lock';

const testRoutes: Route[] = [
  ...serviceRoutes,
  { method: 'POST', path: '/test/echo', handler: async (call) => ({ got: await call.json() }) },
  { method: 'GET', path: '/test/fail', handler: () => { throw new Error('boom', { cause: new Error('EIO') }); } },
  { method: 'GET', path: '/test/conflict', handler: () => { throw new ConflictError('name "web" is already in use'); } },
  { method: 'GET', path: '/test/params/{id}', handler: (call) => ({ id: call.params.id, all: call.query.bool('all'), v: call.apiVersion }) },
  { method: 'GET', path: '/test/stream', handler: (call) => { const s = call.stream(); for (const n of [1, 2, 3]) s.write({ n }); s.end(); } },
  {
    method: 'POST', path: '/test/attach', handler: async (call) => {
      const body = await call.json<{ prefix?: string }>();
      const io = await call.hijack();
      io.output.write(`${body?.prefix ?? ''}ready\n`);
      io.input.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        if (text.includes('quit')) io.close();
        else io.output.write(text.toUpperCase());
      });
    },
  },
];

let dir: string;
let service: RunningService;
let socketPath: string;
let client: ApiClient;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-server-'));
  socketPath = path.join(dir, 'run', 'api.sock');
  service = await startService({ stateRoot: path.join(dir, 'state'), socketPath, routes: testRoutes, level: 'error' });
  client = new ApiClient({ socketPath });
});

after(async () => {
  client.close();
  await service.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Sends raw bytes, half-closes, returns everything the server sent until it closed. */
function raw(bytes: string, { halfClose = true, waitMs = 2_000 } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(socketPath);
    let out = '';
    const timer = setTimeout(() => { s.destroy(); resolve(out); }, waitMs);
    s.on('data', (d) => { out += d.toString(); });
    s.on('close', () => { clearTimeout(timer); resolve(out); });
    s.on('error', reject);
    s.write(bytes);
    if (halfClose) s.end();
  });
}

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d+)/.exec(response)?.[1]);
const bodyOf = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4).trim());

test('socket is mode 0660 in a created directory', () => {
  const st = fs.statSync(socketPath);
  assert.ok(st.isSocket());
  assert.equal(st.mode & 0o777, 0o660);
});

test('GET and HEAD /_ping answer with Docker\'s headers', async () => {
  for (const method of ['GET', 'HEAD']) {
    const res = await raw(`${method} /_ping HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.equal(statusOf(res), 200, res);
    for (const h of ['Api-Version: 1.45', 'Builder-Version: 1', 'Ostype: linux', 'Docker-Experimental: false', 'Cache-Control: no-cache, no-store, must-revalidate', 'Pragma: no-cache']) {
      assert.ok(res.includes(`${h}\r\n`), `${method} /_ping lacks ${h}:\n${res}`);
    }
    assert.equal(res.endsWith('\r\n\r\nOK'), method === 'GET');
  }
});

test('params, Docker booleans and the version prefix reach the handler', async () => {
  assert.deepEqual(await client.get('/test/params/web%2F1', { query: { all: 'True' } }), { id: 'web/1', all: true, v: '1.45' });
  const res = await raw('GET /v1.30/test/params/x?all=0 HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.deepEqual(bodyOf(res), { id: 'x', all: false, v: '1.30' });
  assert.ok(res.includes('Api-Version: 1.30\r\n'));
});

// [request line, status, message pattern]
const errors: Array<[string, number, RegExp]> = [
  ['GET /nope', 404, /^page not found$/],
  ['GET /v1.45/containers/x/nope', 404, /^page not found$/],
  ['DELETE /_ping', 404, /^page not found$/],
  ['GET /v1.99/_ping', 400, /^client version 1\.99 is too new\. Maximum supported API version is 1\.45$/],
  ['GET /v1.12/_ping', 400, /too old/],
  ['GET /test/fail', 500, /^boom: EIO$/],
  ['GET /test/conflict', 409, /^name "web" is already in use$/],
  ['GET /events?filters=%7Bnope', 400, /^invalid filters/],
  ['GET /events?filters=%7B%22colour%22%3A%5B%22red%22%5D%7D', 400, /^invalid filter 'colour'$/],
  ['GET /events?since=later', 400, /invalid value for since/],
];
for (const [line, status, message] of errors) {
  test(`${line} → ${status} {"message"}`, async () => {
    const res = await raw(`${line} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.equal(statusOf(res), status, res);
    assert.match(res, /Content-Type: application\/json/);
    assert.match(bodyOf(res).message, message);
  });
}

const post = (body: string, length = Buffer.byteLength(body)) => `POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n${body}`;

// [name, raw request, status, message pattern]
const badBodies: Array<[string, string, number, RegExp]> = [
  ['valid JSON is echoed', post('{"a":1}'), 200, /.*/],
  ['malformed JSON', post('{"a":}'), 400, /^invalid JSON: /],
  ['JSON cut inside the body', post('{"a":'), 400, /^invalid JSON: /],
  ['body shorter than Content-Length', post('{"a":', 100), 400, /truncated|bad request/],
  ['body over the size cap', post('x'.repeat((1 << 20) + 10)), 400, /too large/],
];
for (const [name, request, status, message] of badBodies) {
  test(`body: ${name} → ${status}`, async () => {
    const res = await raw(request);
    assert.equal(statusOf(res), status, res.slice(0, 300));
    if (status === 200) assert.deepEqual(bodyOf(res), { got: { a: 1 } });
    else assert.match(bodyOf(res).message, message);
    assert.ok(await client.ping(), 'the service still answers');
  });
}

test('garbage and aborted clients never stop the service', async () => {
  const res = await raw('GARBAGE\r\n\r\n');
  assert.equal(statusOf(res), 400, res);
  assert.match(bodyOf(res).message, /bad request/);
  await raw('\x00\x01\x02\xff', { waitMs: 300 });
  const s = net.connect(socketPath);
  await new Promise((r) => s.once('connect', r));
  s.write('POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{"a"');
  s.destroy(); // abort mid-body
  await raw(`GET /_ping HTTP/1.1\r\nHost: x\r\n${'X-Big: y\r\n'.repeat(10_000)}\r\n`, { waitMs: 500 });
  assert.ok(await client.ping());
});

test('streams are newline-delimited JSON', async () => {
  const got: unknown[] = [];
  for await (const v of client.stream('GET', '/test/stream')) got.push(v);
  assert.deepEqual(got, [{ n: 1 }, { n: 2 }, { n: 3 }]);
});

test('upgrade: 101 UPGRADED after the JSON body, then raw bytes both ways', async () => {
  const body = '{"prefix":">"}';
  const s = net.connect(socketPath);
  let out = '';
  const closed = new Promise<void>((r) => s.on('close', () => r()));
  s.on('data', (d) => {
    out += d.toString();
    if (out.endsWith('>ready\n')) s.write('hello');
    if (out.endsWith('HELLO')) s.write('quit');
  });
  // body and the first stdin bytes in the same packet: the server must split them correctly
  s.write(`POST /v1.45/test/attach HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  await closed;
  assert.match(out, /^HTTP\/1\.1 101 UPGRADED\r\n/);
  assert.match(out, /Content-Type: application\/vnd\.docker\.raw-stream\r\n/);
  assert.match(out, /Upgrade: tcp\r\n/);
  assert.ok(out.endsWith('\r\n\r\n>ready\nHELLO'), out);
});

test('ApiClient.hijack: body sent, 101 received, raw bytes both ways; errors thrown', async () => {
  const socket = await client.hijack('POST', '/test/attach', { body: { prefix: '$ ' } });
  let out = '';
  socket.on('data', (d) => {
    out += d.toString();
    if (out === '$ ready\n') socket.write('abc');
    if (out.endsWith('ABC')) socket.write('quit');
  });
  await new Promise((r) => socket.on('close', r));
  assert.equal(out, '$ ready\nABC');
  await assert.rejects(client.hijack('POST', '/nothing/nope/attach'), /page not found/);
});

test('upgrade path answers errors as plain HTTP before hijacking', async () => {
  const res = await raw('POST /nothing/nope/attach HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
  assert.equal(statusOf(res), 404);
  assert.equal(bodyOf(res).message, 'page not found');
});

test('hijack without upgrade: a 200 raw stream that ends with the connection', async () => {
  const res = await raw('POST /test/attach HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}', { waitMs: 500 });
  assert.match(res, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(res, /Content-Type: application\/vnd\.docker\.raw-stream/);
  assert.ok(!/Transfer-Encoding: chunked/.test(res));
  assert.ok(res.includes('\r\n\r\nready\n'), res);
});

test('/events: live events through filters, replay with since, end at until', async () => {
  const { events } = service.ctx;
  const before = Date.now() / 1000;
  events.publish({ Type: 'image', Action: 'tag', Actor: { ID: 'busybox:old' } });
  const controller = new AbortController();
  const seen: Array<{ Action: string }> = [];
  const reader = (async () => {
    try {
      for await (const e of client.stream<{ Action: string }>('GET', '/events', { query: { filters: { type: ['container'] } }, signal: controller.signal })) {
        seen.push(e);
        if (seen.length === 2) controller.abort();
      }
    } catch (err) {
      assert.fail(`aborting a stream must end it quietly: ${String(err)}`);
    }
  })();
  while (events.subscribers === 0) await new Promise((r) => setTimeout(r, 5));
  events.publish({ Type: 'image', Action: 'pull', Actor: { ID: 'busybox:latest' } });
  events.publish({ Type: 'container', Action: 'create', Actor: { ID: 'c1', Attributes: { name: 'web' } } });
  events.publish({ Type: 'container', Action: 'start', Actor: { ID: 'c1', Attributes: { name: 'web' } } });
  await reader;
  assert.deepEqual(seen.map((e) => e.Action), ['create', 'start']);
  // the server notices the client left and drops the subscription
  for (let i = 0; i < 100 && events.subscribers > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(events.subscribers, 0);

  const replay: Array<{ Type: string; Action: string; timeNano: number }> = [];
  for await (const e of client.stream<{ Type: string; Action: string; timeNano: number }>('GET', '/events', { query: { since: before.toFixed(6), until: (Date.now() / 1000).toFixed(6) } })) replay.push(e);
  assert.deepEqual(replay.map((e) => `${e.Type}:${e.Action}`), ['image:tag', 'image:pull', 'container:create', 'container:start']);
  assert.ok(replay.every((e, i) => i === 0 || e.timeNano > replay[i - 1].timeNano));
});

test('/info answers with counts from the providers and the state root', async () => {
  const info = await client.get<Record<string, unknown>>('/info');
  assert.equal(info.DockerRootDir, path.join(dir, 'state'));
  assert.equal(info.Containers, 0);
  assert.equal(info.Images, 0);
  const status = await client.get<{ pid: number; stateRoot: string }>('/slipway/status');
  assert.equal(status.pid, process.pid);
});

test('a second service on the same state dir is refused; stop removes socket and lock', async () => {
  const stateRoot = path.join(dir, 'state2');
  const sock = path.join(dir, 'two.sock');
  const first = await startService({ stateRoot, socketPath: sock, level: 'error' });
  await assert.rejects(startService({ stateRoot, socketPath: path.join(dir, 'three.sock'), level: 'error' }), /in use by the slipway service/);
  await assert.rejects(startService({ stateRoot: path.join(dir, 'state3'), socketPath: sock, level: 'error' }), /socket .* is in use/);
  assert.equal(fs.existsSync(lockPath(path.join(dir, 'state3'))), false, 'a refused start leaves no lock');
  await first.stop();
  assert.equal(fs.existsSync(sock), false);
  assert.equal(fs.existsSync(lockPath(stateRoot)), false);
  // a clean restart on the same paths works
  const again = await startService({ stateRoot, socketPath: sock, level: 'error' });
  await again.stop();
});

test('a stale socket file (nobody listening) is replaced; a regular file is not', async () => {
  const sock = path.join(dir, 'stale.sock');
  // a process that listens and is killed with SIGKILL leaves its socket file behind
  spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(sock)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  assert.ok(fs.statSync(sock).isSocket());
  const s = await startService({ stateRoot: path.join(dir, 'state4'), socketPath: sock, level: 'error' });
  await s.stop();
  const file = path.join(dir, 'file.sock');
  fs.writeFileSync(file, 'x');
  await assert.rejects(startService({ stateRoot: path.join(dir, 'state5'), socketPath: file, level: 'error' }), /is not a socket/);
  assert.equal(fs.readFileSync(file, 'utf8'), 'x');
});
