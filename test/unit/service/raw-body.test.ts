// Call.rawBody: tars of unknown size (export, save) go out chunked, so a failure mid-body is a
// cut-short response that clients report — never a clean end of a truncated tar (the defect of a
// hijacked body, which ends with the connection either way). Real server, real Unix socket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiClient } from '../../../runtime/client/client';
import type { Route } from '../../../runtime/service/router';
import { startService, type RunningService } from '../../../runtime/service/start';

const CHUNKS = ['first part|', 'second part|', 'third part'];

function writeAll(out: Writable, chunks: string[]): Promise<void> {
  return new Promise((resolve) => {
    for (const c of chunks) out.write(c);
    setImmediate(resolve); // let the chunks reach the socket before what follows
  });
}

const routes: Route[] = [
  {
    method: 'GET', path: '/test/raw/{outcome}', handler: async (call) => {
      const out = call.rawBody('application/x-tar', { 'X-Docker-Container-Path-Stat': 'e30=' });
      await writeAll(out, CHUNKS.slice(0, call.params.outcome === 'fail' ? 2 : 3));
      if (call.params.outcome === 'fail') throw new Error('readlink /proc/self: no such file');
      await new Promise<void>((resolve) => out.end(resolve));
    },
  },
];

let dir: string;
let service: RunningService;
let client: ApiClient;
let socketPath: string;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-raw-body-'));
  socketPath = path.join(dir, 'api.sock');
  service = await startService({ stateRoot: path.join(dir, 'state'), socketPath, routes, level: 'error' });
  client = new ApiClient({ socketPath });
});

after(async () => {
  client.close();
  await service.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function fetchBody(outcome: string): Promise<{ body: string; error?: Error }> {
  let body = '';
  const sink = new Writable({ write(c, _e, cb) { body += String(c); cb(); } });
  try {
    const res = await client.request('GET', `/test/raw/${outcome}`, { timeoutMs: 0 });
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    assert.equal(res.headers['content-type'], 'application/x-tar');
    assert.equal(res.headers['x-docker-container-path-stat'], 'e30=', 'extra headers (docker cp\'s stat) go out with the body');
    await pipeline(res, sink);
    return { body };
  } catch (error) {
    return { body, error: error as Error };
  }
}

/** The raw bytes of an upgraded request (docker clients may ask for one on any path). */
function upgraded(outcome: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(socketPath);
    let out = '';
    s.on('data', (c) => { out += String(c); });
    s.on('close', () => resolve(out));
    s.on('error', reject);
    s.write(`GET /test/raw/${outcome} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`);
  });
}

const cases: Array<{ outcome: string; body: string; fails: boolean }> = [
  { outcome: 'ok', body: CHUNKS.join(''), fails: false },
  { outcome: 'fail', body: CHUNKS.slice(0, 2).join(''), fails: true },
];

for (const c of cases) {
  test(`raw body, ${c.outcome}: the client ${c.fails ? 'fails on the cut-short body' : 'reads every chunk'}`, async () => {
    const { body, error } = await fetchBody(c.outcome);
    assert.equal(error !== undefined, c.fails, `error: ${error?.message}`);
    assert.ok(c.body.startsWith(body), `received a prefix of the chunks: ${body}`);
    if (!c.fails) assert.equal(body, c.body);
  });

  test(`raw body on an upgraded connection, ${c.outcome}: chunk framing ${c.fails ? 'without' : 'with'} the last chunk`, async () => {
    const text = await upgraded(c.outcome);
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(text, /Transfer-Encoding: chunked\r\n/);
    assert.match(text, /X-Docker-Container-Path-Stat: e30=\r\n/);
    const payload = text.slice(text.indexOf('\r\n\r\n') + 4);
    assert.equal(payload.endsWith('0\r\n\r\n'), !c.fails, JSON.stringify(payload));
    for (const chunk of c.body.split('|').slice(0, -1)) assert.ok(payload.includes(`${(chunk.length + 1).toString(16)}\r\n${chunk}|\r\n`), `framed ${chunk}`);
  });
}
