// The stock docker CLI (/usr/local/bin/docker) against a real Slipway service: run (output,
// exit code, --rm), run -d / ps / logs -f / exec / stop / rm, volume ls, run -it in a pty
// (util-linux `script`), and bad input with Docker's wording and nothing left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { privileged, requires } from '../../helpers/tiers';
import { cgroupDirsOf, DOCKER, IMAGE, mountsUnder, sandboxForFile } from './harness';

const opts = fs.existsSync(DOCKER) ? privileged : requires(`requires ${DOCKER}`);
const box = sandboxForFile({ when: () => fs.existsSync(DOCKER) });

test('docker run: stdout and stderr apart, the exit code, --rm leaves nothing', opts, async () => {
  const r = box.docker('run', '--rm', '-e', 'WHO=slipway', IMAGE, 'sh', '-c', 'echo "out $WHO"; echo err >&2; exit 3');
  assert.equal(r.status, 3, r.stderr);
  assert.equal(r.stdout, 'out slipway\n');
  assert.equal(r.stderr, 'err\n');
  assert.equal(box.docker('ps', '-aq').stdout, '');
  // The record is gone when the wait for "removed" ends; its moved-aside directory
  // (.removed-<id>, ContainerStore.forget) is deleted right after: give it a moment.
  const containers = path.join(box.state, 'containers');
  for (let i = 0; i < 100 && fs.readdirSync(containers).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(fs.readdirSync(containers), []);
  assert.deepEqual(mountsUnder(box.dir), []);
});

test('docker run -d, ps, logs -f, exec, stop, rm, volume ls, events', opts, async () => {
  const since = Math.floor(Date.now() / 1000) - 1;
  const id = box.docker('run', '-d', '--name', 'ticker', '-v', 'keep:/data', IMAGE, 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.2; done').stdout.trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  const ps = box.docker('ps', '--format', '{{.ID}} {{.Names}} {{.State}}').stdout.trim();
  assert.equal(ps, `${id.slice(0, 12)} ticker running`);

  // logs -f keeps streaming until the container stops.
  const follow = spawn(DOCKER, ['logs', '-f', 'ticker'], { env: box.env });
  let followed = '';
  follow.stdout.on('data', (d) => { followed += d; });
  const followEnded = new Promise<number | null>((r) => follow.on('close', r));

  const exec = box.docker('exec', '-e', 'X=1', 'ticker', 'sh', '-c', 'echo "exec $X $(hostname)"; ls /data; exit 4');
  assert.equal(exec.status, 4, exec.stderr);
  assert.equal(exec.stdout, `exec 1 ${id.slice(0, 12)}\n`);

  await new Promise((r) => setTimeout(r, 1500));
  const stop = box.docker('stop', '-t', '1', 'ticker');
  assert.equal(stop.status, 0, stop.stderr);
  assert.equal(await followEnded, 0, 'logs -f ends when the container stops');
  const ticks = followed.split('\n').filter(Boolean);
  assert.ok(ticks.length >= 3, followed);
  assert.deepEqual(ticks.slice(0, 3), ['tick 1', 'tick 2', 'tick 3']);
  assert.equal(box.docker('inspect', '-f', '{{.State.Status}} {{.State.Running}}', 'ticker').stdout.trim(), 'exited false');

  assert.equal(box.docker('rm', 'ticker').status, 0);
  assert.equal(box.docker('volume', 'ls', '-q').stdout.trim(), 'keep', 'the named volume outlives its container');
  // An event for every state change, in dockerd's order (dockerd also sends "kill" before
  // "die" on stop; the manager publishes kill only for docker kill).
  const events = box.docker('events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', `container=${id}`, '--format', '{{.Action}}').stdout.split('\n').filter(Boolean);
  // exec_create and exec_start carry the command, as dockerd's do ("exec_start: sh -c …").
  const order = ['create', 'start', 'exec_create', 'exec_start', 'exec_die', 'die', 'stop', 'destroy'];
  assert.deepEqual(events.map((e) => e.split(':')[0]).filter((e) => order.includes(e)), order, events.join(' '));
  assert.ok(events.includes('exec_start: sh -c echo "exec $X $(hostname)"; ls /data; exit 4'), events.join(' '));
  assert.deepEqual(cgroupDirsOf(id), []);
  assert.deepEqual(mountsUnder(box.dir), []);
});

test('docker run -it gets a terminal (through a pty made by script)', opts, () => {
  const cmd = `stty cols 91 rows 23; ${DOCKER} run -it --rm ${IMAGE} sh -c '[ -t 0 ] && [ -t 1 ] && echo "is a tty"; echo "TERM=$TERM"; exit 5'`;
  const r = box.run('script', ['-qec', cmd, '/dev/null'], { input: '' });
  assert.equal(r.status, 5, r.stdout + r.stderr);
  assert.match(r.stdout, /is a tty\r\n/);
  assert.match(r.stdout, /TERM=xterm\r\n/);
});

test('bad input: Docker\'s wording, and nothing half-made', opts, () => {
  const before = fs.readdirSync(path.join(box.state, 'containers')).length;
  const cases: Array<{ args: string[]; message: RegExp; code?: number }> = [
    { args: ['run', '--rm', 'no-such-image:1', 'true'], message: /No such image|Unable to find image/ },
    { args: ['start', 'nope'], message: /No such container: nope/ },
    { args: ['logs', 'nope'], message: /No such container: nope/ },
    { args: ['rm', 'nope'], message: /No such container: nope/ },
    { args: ['run', '--rm', '-p', '99999:80', IMAGE, 'true'], message: /invalid/i, code: 125 },
    { args: ['run', '--rm', IMAGE, 'no-such-command'], message: /no-such-command/, code: 127 },
  ];
  for (const c of cases) {
    const r = box.docker(...c.args);
    assert.notEqual(r.status, 0, `docker ${c.args.join(' ')} should fail`);
    if (c.code !== undefined) assert.equal(r.status, c.code, `docker ${c.args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, c.message, `docker ${c.args.join(' ')}`);
  }
  assert.equal(fs.readdirSync(path.join(box.state, 'containers')).length, before, 'no container record left');

  // Duplicate name, exec into a stopped container.
  assert.equal(box.docker('create', '--name', 'dup', IMAGE, 'true').status, 0);
  const dup = box.docker('create', '--name', 'dup', IMAGE, 'true');
  assert.match(dup.stderr, /Conflict\. The container name "\/dup" is already in use/);
  const exec = box.docker('exec', 'dup', 'true');
  assert.match(exec.stderr, /is not running/);
  const id = box.docker('inspect', '-f', '{{.Id}}', 'dup').stdout.trim();
  assert.equal(box.docker('rm', 'dup').status, 0);
  assert.equal(fs.existsSync(path.join(box.state, 'containers', id)), false);
  assert.deepEqual(cgroupDirsOf(id), []);
  assert.deepEqual(mountsUnder(box.dir), []);
});

test('docker run without a terminal passes binary output through unchanged', opts, () => {
  const dir = fs.mkdtempSync(path.join(box.dir, 'bin-'));
  // Every byte value, invalid UTF-8 sequences included, with newlines here and there.
  const data = Buffer.concat(Array.from({ length: 40 }, (_, i) => Buffer.concat([crypto.randomBytes(30_000 + i), Buffer.from([0xff, 0xfe, 0x0a, 0xc3])])));
  fs.writeFileSync(path.join(dir, 'blob'), data);
  const r = spawnSync(DOCKER, ['run', '--rm', '-v', `${dir}:/h:ro`, IMAGE, 'cat', '/h/blob'], { env: box.env, maxBuffer: 64 * 1024 * 1024, timeout: 30_000 });
  assert.equal(r.status, 0, String(r.stderr));
  assert.equal(r.stdout.length, data.length);
  assert.equal(crypto.createHash('sha256').update(r.stdout).digest('hex'), crypto.createHash('sha256').update(data).digest('hex'));
});

test('rm -v and --rm remove anonymous volumes only: a --mount named volume stays with its data', opts, () => {
  const list = () => box.docker('volume', 'ls', '-q').stdout.split('\n').filter(Boolean);
  const before = list();
  const named = box.docker('run', '--rm', '--mount', 'type=volume,src=keepme,dst=/d', '-v', '/anon', IMAGE, 'sh', '-c', 'echo kept >/d/f; touch /anon/x');
  assert.equal(named.status, 0, named.stderr);
  assert.deepEqual(list().filter((v) => !before.includes(v)), ['keepme'], 'the anonymous /anon volume is gone, keepme is not');
  assert.equal(box.docker('run', '--rm', '-v', 'keepme:/d', IMAGE, 'cat', '/d/f').stdout, 'kept\n');
  assert.equal(box.docker('volume', 'rm', 'keepme').status, 0);
});

test('docker kill returns once the container is dead: kill then rm works at once', opts, () => {
  for (let i = 0; i < 5; i++) {
    assert.equal(box.docker('run', '-d', '--name', `k${i}`, IMAGE, 'sleep', '300').status, 0);
    assert.equal(box.docker('exec', `k${i}`, 'true').status, 0);
    assert.equal(box.docker('kill', `k${i}`).status, 0);
    const rm = box.docker('rm', `k${i}`);
    assert.equal(rm.status, 0, `kill then rm, round ${i}: ${rm.stderr}`);
  }
});
