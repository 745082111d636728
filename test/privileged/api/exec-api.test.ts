// docker exec through the service's one exec builder, on the real kernel, driven by the stock
// docker CLI: a relative -w is refused with Docker's 400 before any process exists, and the
// container's --ulimit holds for an exec'd process as for its PID 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { privileged } from '../../helpers/tiers';
import { IMAGE, sandboxForFile } from './harness';

const box = sandboxForFile();

function docker(...args: string[]): string {
  const r = box.docker(...args);
  assert.equal(r.status, 0, `docker ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** One request to the service's socket; the status and the parsed JSON body. */
function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: { message?: string; Id?: string } }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: box.socket, method, path, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => { text += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

test('exec with a relative -w: Docker\'s 400, no exec instance made', privileged, async () => {
  docker('run', '-d', '--name', 'rel', IMAGE, 'sleep', '300');
  const r = box.docker('exec', '-w', 'some/dir', 'rel', 'pwd');
  assert.notEqual(r.status, 0);
  assert.equal(r.stderr, "Error response from daemon: the working directory 'some/dir' is invalid, it needs to be an absolute path\n");
  const raw = await api('POST', '/containers/rel/exec', { Cmd: ['pwd'], WorkingDir: 'tmp' });
  assert.deepEqual(raw, { status: 400, json: { message: "the working directory 'tmp' is invalid, it needs to be an absolute path" } });
  assert.equal(docker('inspect', '--format', '{{json .ExecIDs}}', 'rel'), 'null\n');
  // An absolute one works, and the container's WorkingDir is the default.
  assert.equal(docker('exec', '-w', '/proc', 'rel', 'pwd'), '/proc\n');
  assert.equal(docker('exec', 'rel', 'pwd'), '/\n');
  docker('rm', '-f', 'rel');
});

// rlimits are per process: an exec with the container's ulimits goes through the init, which
// applies them between its spawn and the command's execve (runtime/container/exec/exec.ts).

test('run --ulimit nofile=1024:2048: an exec\'d process has those limits, like PID 1', privileged, async () => {
  docker('run', '-d', '--name', 'limited', '--ulimit', 'nofile=1024:2048', IMAGE, 'sleep', '300');
  const limits = (pid: string) => docker('exec', 'limited', 'sh', '-c', `grep "Max open files" /proc/${pid}/limits`).trim().split(/\s+/).slice(3, 5);
  assert.deepEqual(limits('1'), ['1024', '2048'], 'PID 1');
  assert.deepEqual(limits('self'), ['1024', '2048'], 'the exec\'d process');
  assert.equal(docker('exec', 'limited', 'sh', '-c', 'ulimit -n; ulimit -Hn'), '1024\n2048\n');
  // With a terminal too (exec -t goes another way through the start-up).
  assert.equal(docker('exec', '-t', 'limited', 'sh', '-c', 'ulimit -n').replace(/\r/g, ''), '1024\n');
  docker('rm', '-f', 'limited');
});
