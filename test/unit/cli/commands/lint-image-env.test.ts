// `slipway lint` asks a running service for base images' environments (UndefinedVar), never
// starts one, and lints as before when none answers. The service is a fake on a temp socket.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { lintAll, makeLintCommand } from '../../../../runtime/cli/commands/lint';

const dir = mkdtempSync(path.join(tmpdir(), 'slipway-lint-env-'));
const socketPath = path.join(dir, 'svc.sock');
const seen: string[] = [];
const server = http.createServer((req, res) => {
  seen.push(req.url ?? '');
  if (req.url?.endsWith('/_ping')) { res.end('OK'); return; }
  if (req.url?.endsWith('/images/myimg/json')) { res.end(JSON.stringify({ Config: { Env: ['PATH=/bin', 'APP_HOME=/srv'] } })); return; }
  res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"No such image"}');
});
before(() => new Promise<void>((r) => server.listen(socketPath, r)));
after(() => new Promise<void>((r) => server.close(() => { rmSync(dir, { recursive: true, force: true }); r(); })));

writeFileSync(path.join(dir, 'Dockerfile'), 'FROM myimg\nWORKDIR $APP_HOME\nLABEL x=$APP_HOEM\n');
writeFileSync(path.join(dir, 'Other.Dockerfile'), 'FROM unknownimg\nLABEL x=$WHATEVER\n');

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let out = '';
  stdout.on('data', (d) => { out += String(d); });
  const code = await makeLintCommand(async () => '').run(args, { stdout, stderr, env, cwd: dir });
  return { code, out };
}

const TYPO = /^Dockerfile:3 UndefinedVar warning: Usage of undefined variable '\$APP_HOEM' \(did you mean \$APP_HOME\?\)$/m;
const CASES: { name: string; args: string[]; env: NodeJS.ProcessEnv; typo: boolean; asks: boolean }[] = [
  { name: 'a running service: the image env is used', args: ['Dockerfile', 'Other.Dockerfile'], env: { SLIPWAY_SOCKET: socketPath }, typo: true, asks: true },
  { name: '--no-service: the service is not asked', args: ['--no-service', 'Dockerfile'], env: { SLIPWAY_SOCKET: socketPath }, typo: false, asks: false },
  { name: 'no service on the socket: lint as before, exit 0', args: ['Dockerfile'], env: { SLIPWAY_SOCKET: path.join(dir, 'none.sock'), SLIPWAY_ROOT: path.join(dir, 'no-root') }, typo: false, asks: false },
];
for (const c of CASES) {
  test(`slipway lint with base images: ${c.name}`, async () => {
    seen.length = 0;
    const r = await run(c.args, c.env);
    assert.equal(r.code, 0, r.out);
    assert.equal(TYPO.test(r.out), c.typo, r.out);
    assert.doesNotMatch(r.out, /\$WHATEVER/, 'an image the store lacks stays unchecked');
    assert.equal(seen.some((u) => u.endsWith('/images/myimg/json')), c.asks, seen.join(' '));
  });
}

test('lintAll asks once for every base image of every file, and re-lints only files that gain an env', async () => {
  const asked: string[][] = [];
  const results = await lintAll([
    { name: 'a', source: 'FROM myimg\nLABEL x=$APP_HOEM\n', options: {} },
    { name: 'b', source: 'FROM other AS o\nFROM o\nLABEL y=$NOPE\n', options: {} },
  ], async (images) => { asked.push([...images].sort()); return new Map([['myimg', { APP_HOME: '/srv' }]]); });
  assert.deepEqual(asked, [['myimg', 'other']]);
  assert.deepEqual(results.map((r) => r.findings.filter((f) => f.code === 'UndefinedVar').length), [1, 0]);
});
