// Base images' environments from the service's store (GET /images/{name}/json Config.Env),
// against a fake service on a temporary Unix socket.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ApiClient } from '../../../runtime/client/client';
import { envRecord, localImageEnv, localImageEnvs } from '../../../runtime/client/image-env';

const RECORDS: [string, unknown, Record<string, string>][] = [
  ['a list of K=V', ['PATH=/usr/bin', 'A=1'], { PATH: '/usr/bin', A: '1' }],
  ['a value with = in it', ['OPTS=-Dx=y'], { OPTS: '-Dx=y' }],
  ['a later entry wins', ['A=1', 'A=2'], { A: '2' }],
  ['a bare name is an empty value, "=x" names nothing', ['EMPTY', '=x'], { EMPTY: '' }],
  ['no Env at all', undefined, {}],
  ['Env: null (Docker writes it for scratch images)', null, {}],
];
for (const [name, list, want] of RECORDS) test(`envRecord: ${name}`, () => assert.deepEqual(envRecord(list), want));

test('envRecord names a malformed Env', () => {
  assert.throws(() => envRecord('PATH=/bin'), /Env is not a list/);
  assert.throws(() => envRecord([1]), /Env entry 1 is not a string/);
});

/** A fake service answering /_ping and /images/{name}/json from `images`; records request paths. */
async function fakeService(images: Record<string, unknown>): Promise<{ socketPath: string; seen: string[]; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-image-env-'));
  const socketPath = path.join(dir, 's.sock');
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    seen.push(url);
    if (url.endsWith('/_ping')) { res.end('OK'); return; }
    const m = /^\/v[\d.]+\/images\/(.+)\/json$/.exec(url);
    const name = m ? m[1].split('/').map(decodeURIComponent).join('/') : '';
    if (name === 'bad:NAME') { res.writeHead(400, { 'content-type': 'application/json' }).end('{"message":"invalid reference format"}'); return; }
    if (!(name in images)) { res.writeHead(404, { 'content-type': 'application/json' }).end(`{"message":"No such image: ${name}"}`); return; }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Id: 'sha256:x', Config: images[name] }));
  });
  await new Promise<void>((r) => server.listen(socketPath, r));
  return {
    socketPath, seen,
    close: () => new Promise<void>((r) => server.close(() => { fs.rmSync(dir, { recursive: true, force: true }); r(); })),
  };
}

test('localImageEnv reads Config.Env; a missing or unparsable name is undefined', async (t) => {
  const svc = await fakeService({ 'registry.example/team/app:1.2': { Env: ['APP_HOME=/srv'] }, bare: null });
  const client = new ApiClient({ socketPath: svc.socketPath });
  t.after(async () => { client.close(); await svc.close(); });
  assert.deepEqual(await localImageEnv(client, 'registry.example/team/app:1.2'), { APP_HOME: '/srv' });
  assert.ok(svc.seen.some((s) => s.endsWith('/images/registry.example/team/app%3A1.2/json')), `one encoded segment per name part: ${svc.seen.join(' ')}`);
  assert.deepEqual(await localImageEnv(client, 'bare'), {});
  assert.equal(await localImageEnv(client, 'nope'), undefined);
  assert.equal(await localImageEnv(client, 'bad:NAME'), undefined);
});

test('localImageEnv throws when the service does not answer (unknown is not "no such image")', async () => {
  const client = new ApiClient({ socketPath: path.join(os.tmpdir(), `slipway-image-env-none-${process.pid}.sock`) });
  try {
    await assert.rejects(localImageEnv(client, 'myimg'), /not running/);
  } finally {
    client.close();
  }
});

test('localImageEnvs: the images the store has, and an empty map (no error) when no service answers', async (t) => {
  const svc = await fakeService({ myimg: { Env: ['A=1'] }, other: { Env: ['B=2'] } });
  const client = new ApiClient({ socketPath: svc.socketPath });
  t.after(async () => { client.close(); await svc.close(); });
  const got = await localImageEnvs(client, ['myimg', 'missing', 'myimg', 'other']);
  assert.deepEqual(Object.fromEntries(got), { myimg: { A: '1' }, other: { B: '2' } });
  assert.equal(svc.seen.filter((s) => s.includes('/images/myimg/')).length, 1, 'each image is asked once');

  const none = new ApiClient({ socketPath: path.join(os.tmpdir(), `slipway-image-env-none-${process.pid}.sock`) });
  try {
    assert.equal((await localImageEnvs(none, ['myimg'])).size, 0);
  } finally {
    none.close();
  }
});
