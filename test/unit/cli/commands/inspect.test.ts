// `slipway inspect` (container → image → volume, --type, -f), `slipway image inspect -f`, the
// escaping of names in every CLI path, and `slipway export` failing on a cut-short tar, against a stand-in Engine API on a Unix socket in a
// temp dir that records the raw request paths it receives.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { inProcessCli } from '../../../helpers/slipway';
import { idPath, imagePath } from '../../../../runtime/client/paths';

const containers: Record<string, object> = { web: { Id: 'c-web', Name: '/web', State: { Status: 'running' } }, both: { Id: 'c-both', Name: '/both' } };
const images: Record<string, object> = {
  'app:1': { Id: 'sha256:aaa', Size: 42, RepoTags: ['app:1'] },
  'localhost:5000/team/app:2': { Id: 'sha256:bbb', Size: 7, RepoTags: ['localhost:5000/team/app:2'] },
  both: { Id: 'sha256:both' },
};
const volumes: Record<string, object> = { data: { Name: 'data', Driver: 'local' } };

let dir: string;
let server: http.Server;
let requests: string[] = [];
let cli: ReturnType<typeof inProcessCli>;

/** The stand-in service: decodes the name as the real router does; 400 for an image name with a space. */
function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
  const raw = (req.url ?? '').replace(/^\/v[\d.]+/, '').replace(/\?.*$/, '');
  requests.push(`${req.method} ${raw}`);
  const reply = (status: number, body: unknown) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
  let m: RegExpExecArray | null;
  if ((m = /^\/containers\/([^/]+)\/json$/.exec(raw))) {
    const name = decodeURIComponent(m[1]);
    return containers[name] ? reply(200, containers[name]) : reply(404, { message: `No such container: ${name}` });
  }
  if ((m = /^\/images\/(.+)\/json$/.exec(raw))) {
    const name = decodeURIComponent(m[1]);
    if (name.includes(' ')) return reply(400, { message: `invalid reference format: ${name}` });
    return images[name] ? reply(200, images[name]) : reply(404, { message: `No such image: ${name}` });
  }
  if ((m = /^\/volumes\/([^/]+)$/.exec(raw))) {
    const name = decodeURIComponent(m[1]);
    return volumes[name] ? reply(200, volumes[name]) : reply(404, { message: `get ${name}: no such volume` });
  }
  if ((m = /^\/containers\/(whole|cut)\/export$/.exec(raw))) {
    // A chunked tar; "cut" fails mid-body the way the service does (the connection is destroyed).
    res.writeHead(200, { 'Content-Type': 'application/x-tar' });
    res.write('first chunk|');
    if (m[1] === 'cut') setTimeout(() => res.destroy(), 20);
    else res.end('last chunk');
    return;
  }
  reply(404, { message: `not found: ${raw}` });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-inspect-cli-'));
  const socketPath = path.join(dir, 'api.sock');
  server = http.createServer(answer);
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  cli = inProcessCli({ ...process.env, SLIPWAY_SOCKET: socketPath, SLIPWAY_ROOT: path.join(dir, 'state') }, dir);
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Case { argv: string[]; code: number; out?: string | RegExp; ids?: string[]; err?: RegExp; requests?: string[] }

const cases: Case[] = [
  { argv: ['inspect', 'web'], code: 0, ids: ['c-web'], requests: ['GET /containers/web/json'] },
  { argv: ['inspect', 'app:1'], code: 0, ids: ['sha256:aaa'], requests: ['GET /containers/app%3A1/json', 'GET /images/app%3A1/json'] },
  { argv: ['inspect', 'data'], code: 0, ids: ['data'], requests: ['GET /containers/data/json', 'GET /images/data/json', 'GET /volumes/data'] },
  { argv: ['inspect', 'both'], code: 0, ids: ['c-both'], requests: ['GET /containers/both/json'] },
  { argv: ['inspect', '--type', 'image', 'both'], code: 0, ids: ['sha256:both'], requests: ['GET /images/both/json'] },
  { argv: ['inspect', '--type', 'volume', 'data'], code: 0, ids: ['data'], requests: ['GET /volumes/data'] },
  { argv: ['inspect', '--type', 'image', 'web'], code: 1, ids: [], err: /^Error: No such image: web$/m },
  { argv: ['inspect', 'nothing'], code: 1, ids: [], err: /^Error: No such object: nothing$/m },
  { argv: ['inspect', 'web', 'nothing', 'app:1'], code: 1, ids: ['c-web', 'sha256:aaa'], err: /No such object: nothing/ },
  // A name that is no valid image reference is still looked up as a volume, then reported missing.
  { argv: ['inspect', 'my box'], code: 1, ids: [], err: /^Error: No such object: my box$/m, requests: ['GET /containers/my%20box/json', 'GET /images/my%20box/json', 'GET /volumes/my%20box'] },
  { argv: ['inspect', '--type', 'network', 'x'], code: 1, err: /"network" is not a valid value for --type/ },
  { argv: ['inspect', '-f', '{{.State.Status}}', 'web'], code: 0, out: 'running\n' },
  { argv: ['inspect', '--format', '{{.Id}} {{.Size}}', 'app:1'], code: 0, out: 'sha256:aaa 42\n' },
  { argv: ['image', 'inspect', '-f', '{{.Id}} {{.Size}}', 'app:1'], code: 0, out: 'sha256:aaa 42\n', requests: ['GET /images/app%3A1/json'] },
  { argv: ['image', 'inspect', '--format', '{{json .RepoTags}}', 'localhost:5000/team/app:2'], code: 0, out: '["localhost:5000/team/app:2"]\n', requests: ['GET /images/localhost%3A5000/team/app%3A2/json'] },
  { argv: ['image', 'inspect', 'web'], code: 1, ids: [], err: /^Error: No such image: web$/m, requests: ['GET /images/web/json'] },
  { argv: ['image', 'inspect', 'a b'], code: 1, err: /invalid reference format: a b/, requests: ['GET /images/a%20b/json'] },
  { argv: ['image', 'inspect', '--type', 'image', 'app:1'], code: 125, err: /Unknown option '--type'/ },
  // Names are escaped in the other image and container paths too.
  { argv: ['history', 'a b?c'], code: 1, requests: ['GET /images/a%20b%3Fc/history'] },
  { argv: ['rmi', 'a b'], code: 1, requests: ['DELETE /images/a%20b'] },
  { argv: ['tag', 'a b', 'x:1'], code: 1, requests: ['POST /images/a%20b/tag'] },
  { argv: ['layers', 'a#b'], code: 1, requests: ['GET /slipway/images/a%23b/layers'] },
  { argv: ['diff', 'x?y'], code: 1, requests: ['GET /containers/x%3Fy/changes'] },
  { argv: ['export', '-o', 'out.tar', 'x y'], code: 1, requests: ['GET /containers/x%20y/export'] },
];

for (const c of cases) {
  test(`slipway ${c.argv.map((a) => (a.includes(' ') || a === '' ? JSON.stringify(a) : a)).join(' ')}`, async () => {
    requests = [];
    const r = await cli(...c.argv);
    assert.equal(r.code, c.code, `exit code; stdout ${r.out} stderr ${r.err}`);
    if (c.ids) assert.deepEqual((JSON.parse(r.out) as Array<{ Id?: string; Name?: string }>).map((o) => o.Id ?? o.Name), c.ids);
    if (typeof c.out === 'string') assert.equal(r.out, c.out);
    if (c.err) assert.match(r.err, c.err);
    if (c.requests) assert.deepEqual(requests, c.requests);
  });
}

const escapes: Array<[string, string, string]> = [
  ['web', 'web', 'web'],
  ['a b', 'a%20b', 'a%20b'],
  ['x?y#z%', 'x%3Fy%23z%25', 'x%3Fy%23z%25'],
  ['localhost:5000/team/app:1', 'localhost%3A5000%2Fteam%2Fapp%3A1', 'localhost%3A5000/team/app%3A1'],
];
for (const [name, id, image] of escapes) {
  test(`path escaping of ${JSON.stringify(name)}`, () => {
    assert.equal(idPath(name), id);
    assert.equal(imagePath(name), image);
  });
}

const exports: Array<[string, number, string]> = [['whole', 0, 'first chunk|last chunk'], ['cut', 1, 'first chunk|']];
for (const [name, code, written] of exports) {
  test(`slipway export of a ${name} tar exits ${code}`, async () => {
    const out = path.join(dir, `${name}.tar`);
    const r = await cli('export', '-o', out, name);
    assert.equal(r.code, code, `stderr: ${r.err}`);
    assert.equal(fs.readFileSync(out, 'utf8'), written);
    if (code !== 0) assert.match(r.err, /aborted|reset|premature|closed/i);
  });
}
