// `slipway` container commands against a real service: run --rm exit codes, -p with busybox
// httpd, a named volume outliving its container, stop of a process that ignores SIGTERM, and
// kill -9 of the service while a container runs (re-adopted: still running, logs continue,
// stop works, its port is served again).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { isLiveProcess } from '../../../runtime/common/proc-stat';
import { privileged } from '../../helpers/tiers';
import { cgroupDirsOf, IMAGE, mountsUnder, sandboxForFile, slipwayBin, until } from './harness';

const box = sandboxForFile();

function ok(...args: string[]): string {
  const r = box.slipway(...args);
  assert.equal(r.status, 0, `slipway ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** A free TCP port on 127.0.0.1 (the OS picks one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function get(port: number, file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: file, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

test('slipway run --rm: the exit code is the container\'s, nothing is left', privileged, () => {
  const table: Array<[string[], number, string]> = [
    [['true'], 0, ''],
    [['sh', '-c', 'echo hi; exit 3'], 3, 'hi\n'],
    [['no-such-command'], 127, ''],
  ];
  for (const [cmd, code, out] of table) {
    const r = box.slipway('run', '--rm', IMAGE, ...cmd);
    assert.equal(r.status, code, `${cmd.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, out);
  }
  assert.equal(ok('ps', '-aq'), '');
  assert.deepEqual(mountsUnder(box.dir), []);
});

test('slipway run -p hostPort:80 serves busybox httpd on 127.0.0.1; ps and port show it', privileged, async () => {
  const port = await freePort();
  const id = ok('run', '-d', '--name', 'web', '-p', `${port}:80`, IMAGE, 'busybox', 'httpd', '-f', '-p', '80').trim();
  assert.equal(await until('the page', () => get(port, '/index.html').catch(() => '')), 'hello from slipway\n');
  assert.match(ok('ps'), new RegExp(`0\\.0\\.0\\.0:${port}->80/tcp +web\\n`));
  assert.equal(ok('port', 'web'), `80/tcp -> 0.0.0.0:${port}\n`);
  ok('rm', '-f', 'web');
  await assert.rejects(get(port, '/index.html'), 'the proxy is closed with the container');
  assert.deepEqual(cgroupDirsOf(id), []);
});

test('a named volume outlives its container and is reused', privileged, () => {
  ok('run', '--rm', '-v', 'data:/data', IMAGE, 'sh', '-c', 'echo kept > /data/file');
  assert.equal(ok('volume', 'ls', '-q'), 'data\n');
  assert.equal(ok('run', '--rm', '-v', 'data:/data', IMAGE, 'cat', '/data/file'), 'kept\n');
  const inspect = JSON.parse(ok('volume', 'inspect', 'data'))[0];
  assert.equal(fs.readFileSync(path.join(inspect.Mountpoint, 'file'), 'utf8'), 'kept\n');
  ok('volume', 'rm', 'data');
  assert.equal(ok('volume', 'ls', '-q'), '');
});

test('stop of a process that ignores SIGTERM takes the timeout, then SIGKILL (137)', privileged, () => {
  ok('run', '-d', '--name', 'stubborn', IMAGE, 'sh', '-c', 'trap "" TERM; echo ready; while true; do sleep 0.1; done');
  const started = Date.now();
  ok('stop', '-t', '1', 'stubborn');
  const took = Date.now() - started;
  assert.ok(took >= 1000 && took < 5000, `stop took ${took} ms`);
  assert.equal(ok('inspect', '-f', '{{.State.ExitCode}} {{.State.Status}}', 'stubborn'), '137 exited\n');
  ok('rm', 'stubborn');
});

test('kill -9 of the service: the container keeps running, is re-adopted, logs continue, stop works', privileged, async () => {
  const port = await freePort();
  const id = ok('run', '-d', '--name', 'survivor', '-p', `${port}:80`, IMAGE, 'sh', '-c',
    'busybox httpd -p 80; i=0; while true; do i=$((i+1)); echo "line $i"; sleep 0.2; done').trim();
  await until('the first lines', () => ok('logs', 'survivor').split('\n').length > 2);
  const pid = Number(ok('inspect', '-f', '{{.State.Pid}}', 'survivor').trim());
  box.killService();
  await until('the service to die', () => box.servicePid() === undefined);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(isLiveProcess(pid), true, 'the container\'s PID 1 outlives the service');

  box.startService();
  assert.equal(ok('inspect', '-f', '{{.State.Status}} {{.State.Pid}}', 'survivor'), `running ${pid}\n`);
  const before = ok('logs', 'survivor').split('\n').filter(Boolean);
  // Lines written while no service ran are in the log too (the kernel wrote them to files).
  assert.deepEqual(before.map((l) => Number(l.split(' ')[1])), before.map((_, i) => i + 1));
  await until('more lines', () => ok('logs', 'survivor').split('\n').filter(Boolean).length > before.length + 2);
  assert.equal(await until('the page again', () => get(port, '/index.html').catch(() => '')), 'hello from slipway\n');

  ok('stop', '-t', '1', 'survivor');
  assert.match(ok('inspect', '-f', '{{.State.Status}}', 'survivor'), /^exited\n$/);
  assert.equal(isLiveProcess(pid), false, 'the container\'s PID 1 is gone (or a zombie of its new parent)');
  ok('rm', 'survivor');
  assert.deepEqual(cgroupDirsOf(id), []);
  assert.deepEqual(mountsUnder(box.dir), []);
});

test('slipway run -it / exec -it in a terminal (script\'s pty): a TTY of our size; -i pipes stdin', privileged, () => {
  const inPty = (cmd: string) => box.run('script', ['-qec', `stty cols 91 rows 23; ${cmd}`, '/dev/null'], { input: '' });
  const run = inPty(`${slipwayBin} run -it --rm ${IMAGE} sh -c '[ -t 0 ] && echo "is a tty"; exit 5'`);
  assert.equal(run.status, 5, run.stdout + run.stderr);
  assert.equal(run.stdout, 'is a tty\r\n', 'no doubled carriage returns: the local terminal is raw');
  ok('run', '-d', '--name', 'shell', IMAGE, 'sleep', '100');
  const exec = inPty(`${slipwayBin} exec -it shell sh -c '[ -t 0 ] && echo "is a tty"; stty size; exit 6'`);
  assert.equal(exec.status, 6, exec.stdout + exec.stderr);
  assert.match(exec.stdout, /is a tty\r\n/);
  assert.match(exec.stdout, /23 91\r\n/, 'the exec terminal has our size');
  const piped = box.run(slipwayBin, ['exec', '-i', 'shell', 'sh', '-c', 'cat; exit 2'], { input: 'piped\n' });
  assert.deepEqual([piped.status, piped.stdout], [2, 'piped\n']);
  const runPiped = box.run(slipwayBin, ['run', '-i', '--rm', IMAGE, 'sh', '-c', 'tr a-z A-Z'], { input: 'shout\n' });
  assert.deepEqual([runPiped.status, runPiped.stdout], [0, 'SHOUT\n']);
  ok('rm', '-f', 'shell');
});
