// `slipway start|pause|unpause|stop|kill|rm` with several containers, one or more failing: the
// order of names and errors on the terminal and the exit code, as the docker 28 CLI prints them
// against the same service (checked with DOCKER_HOST on a Slipway socket): successes in order,
// then the errors (errors.Join) — except `start`, which prints each error when it happens and
// then "Error: failed to start containers: …". Against a stand-in Engine API on a Unix socket.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../../runtime/cli/dispatch';
import { commands } from '../../../../runtime/cli/commands/index';

let dir: string;
let socketPath: string;
let server: http.Server;
let requests: string[] = [];

/** Containers named gone* do not exist; every other action succeeds. */
function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
  const raw = (req.url ?? '').replace(/^\/v[\d.]+/, '').replace(/\?.*$/, '');
  requests.push(`${req.method} ${raw}`);
  const m = /^\/containers\/([^/]+)(\/\w+)?$/.exec(raw);
  if (m && decodeURIComponent(m[1]).startsWith('gone')) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: `No such container: ${decodeURIComponent(m[1])}` }));
    return;
  }
  res.writeHead(m?.[2] === '/wait' ? 200 : 204, { 'Content-Type': 'application/json' });
  res.end(m?.[2] === '/wait' ? JSON.stringify({ StatusCode: 3 }) : undefined);
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-container-action-'));
  socketPath = path.join(dir, 'api.sock');
  server = http.createServer(answer);
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI with stdout and stderr on ONE stream, as `2>&1` shows them. */
async function combined(...argv: string[]): Promise<{ code: number; text: string }> {
  const both = new PassThrough();
  let text = '';
  both.on('data', (d) => { text += String(d); });
  const env = { ...process.env, SLIPWAY_SOCKET: socketPath, SLIPWAY_ROOT: path.join(dir, 'state') };
  const code = await runCli(argv, { stdout: both, stderr: both, env, cwd: dir }, commands);
  return { code, text };
}

const notFound = (name: string) => `Error response from daemon: No such container: ${name}`;
const rows: Array<{ argv: string[]; code: number; lines: string[]; requests: string[] }> = [
  { argv: ['pause', 'a', 'gone', 'b', 'gone2'], code: 1, lines: ['a', 'b', notFound('gone'), notFound('gone2')],
    requests: ['POST /containers/a/pause', 'POST /containers/gone/pause', 'POST /containers/b/pause', 'POST /containers/gone2/pause'] },
  { argv: ['unpause', 'a', 'gone', 'b'], code: 1, lines: ['a', 'b', notFound('gone')],
    requests: ['POST /containers/a/unpause', 'POST /containers/gone/unpause', 'POST /containers/b/unpause'] },
  { argv: ['start', 'a', 'gone', 'b', 'gone2'], code: 1, lines: ['a', notFound('gone'), 'b', notFound('gone2'), 'Error: failed to start containers: gone, gone2'],
    requests: ['POST /containers/a/start', 'POST /containers/gone/start', 'POST /containers/b/start', 'POST /containers/gone2/start'] },
  { argv: ['start', 'gone'], code: 1, lines: [notFound('gone'), 'Error: failed to start containers: gone'], requests: ['POST /containers/gone/start'] },
  { argv: ['pause', 'a', 'b'], code: 0, lines: ['a', 'b'], requests: ['POST /containers/a/pause', 'POST /containers/b/pause'] },
  { argv: ['unpause', 'my app'], code: 0, lines: ['my app'], requests: ['POST /containers/my%20app/unpause'] },
  // The other per-container commands share the errors-last order.
  { argv: ['stop', 'gone', 'a'], code: 1, lines: ['a', notFound('gone')], requests: ['POST /containers/gone/stop', 'POST /containers/a/stop'] },
  { argv: ['kill', 'gone', 'a'], code: 1, lines: ['a', notFound('gone')], requests: ['POST /containers/gone/kill', 'POST /containers/a/kill'] },
  { argv: ['rm', 'gone', 'a', 'gone2'], code: 1, lines: ['a', notFound('gone'), notFound('gone2')], requests: ['DELETE /containers/gone', 'DELETE /containers/a', 'DELETE /containers/gone2'] },
  { argv: ['wait', 'gone', 'a'], code: 1, lines: ['3', notFound('gone')], requests: ['POST /containers/gone/wait', 'POST /containers/a/wait'] },
];
for (const r of rows) {
  test(`slipway ${r.argv.join(' ')} → exit ${r.code}, docker's order`, async () => {
    requests = [];
    const { code, text } = await combined(...r.argv);
    assert.equal(code, r.code, text);
    assert.equal(text, r.lines.map((l) => `${l}\n`).join(''));
    assert.deepEqual(requests.filter((q) => !q.endsWith('/_ping')), r.requests);
  });
}

for (const name of ['start', 'pause', 'unpause']) {
  test(`slipway ${name} without a container is a usage error naming the command`, async () => {
    requests = [];
    const { code, text } = await combined(name);
    assert.equal(code, 1);
    assert.equal(text, `"slipway ${name}" requires at least 1 argument: CONTAINER [CONTAINER...]\n`);
    assert.deepEqual(requests, []);
  });
}
