// Four runtime defects an audit of issue #3 found, each checked the way Docker behaves:
// exec'd processes get exactly their stdio (no service fd leaks into them); --privileged and
// --cap-add ALL give the service's own bounding set (not every capability the kernel knows);
// a host port in use fails the start before the user's command runs (exit 125, nothing left);
// `-v /missing:/x` creates the host directory, `--mount type=bind` with a missing source fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { privileged } from '../../helpers/tiers';
import { cgroupDirsOf, IMAGE, mountsUnder, sandboxForFile, slipwayBin, until } from './harness';

const box = sandboxForFile({
  ready: (b) => {
    const r = b.slipway('run', '-d', '--name', 'fds', IMAGE, 'sleep', '300');
    assert.equal(r.status, 0, r.stderr);
  },
});

function ok(...args: string[]): string {
  const r = box.slipway(...args);
  assert.equal(r.status, 0, `slipway ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** The fd numbers `ls /proc/self/fd` prints (one a line, with or without a terminal's \r). */
function fdList(out: string): string[] {
  return out.split('\n').map((l) => l.trim()).filter(Boolean);
}

test('exec: the process has only its stdio (0-2) and the fd ls opens itself (3), with and without -t', privileged, () => {
  // Twice without a terminal, so an fd the first exec left behind in the service would show.
  for (let i = 0; i < 2; i++) assert.deepEqual(fdList(ok('exec', 'fds', 'ls', '/proc/self/fd')), ['0', '1', '2', '3'], `exec #${i}`);
  assert.deepEqual(fdList(ok('exec', '-i', 'fds', 'ls', '/proc/self/fd')), ['0', '1', '2', '3'], 'exec -i');
  const tty = box.run('script', ['-qec', `${slipwayBin} exec -t fds ls -1 /proc/self/fd`, '/dev/null'], { input: '' });
  assert.equal(tty.status, 0, tty.stderr);
  assert.deepEqual(fdList(tty.stdout), ['0', '1', '2', '3'], 'exec -t');
  // And run, for comparison: the init closes everything else.
  assert.deepEqual(fdList(ok('run', '--rm', IMAGE, 'ls', '/proc/self/fd')), ['0', '1', '2', '3'], 'run');
});

function capLine(status: string, name: string): string {
  const m = new RegExp(`^${name}:\\s*([0-9a-f]+)$`, 'm').exec(status);
  assert.ok(m, `${name} in ${status}`);
  return m[1];
}

test('--privileged and --cap-add ALL run, with the service\'s own bounding set as CapEff/CapBnd', privileged, () => {
  const pid = box.servicePid();
  assert.ok(pid, 'the service runs');
  const serviceBnd = capLine(fs.readFileSync(`/proc/${pid}/status`, 'utf8'), 'CapBnd');
  for (const flags of [['--privileged'], ['--cap-add', 'ALL'], ['--cap-add', 'all', '--cap-drop', 'CHOWN']]) {
    const r = box.slipway('run', '--rm', ...flags, IMAGE, 'cat', '/proc/1/status');
    assert.equal(r.status, 0, `${flags.join(' ')}: ${r.stderr}`);
    const want = flags.includes('--cap-drop') ? (BigInt(`0x${serviceBnd}`) & ~1n).toString(16).padStart(16, '0') : serviceBnd;
    assert.equal(capLine(r.stdout, 'CapEff'), want, `${flags.join(' ')} CapEff`);
    assert.equal(capLine(r.stdout, 'CapBnd'), want, `${flags.join(' ')} CapBnd`);
  }
  // exec into a privileged container gets the same set.
  ok('run', '-d', '--name', 'priv', '--privileged', IMAGE, 'sleep', '300');
  assert.equal(capLine(ok('exec', 'priv', 'cat', '/proc/self/status'), 'CapEff'), serviceBnd);
  ok('rm', '-f', 'priv');
});

/** Holds a TCP port on 0.0.0.0 (as another program would) until closed. */
function holdPort(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '0.0.0.0', () => resolve(s));
    s.on('error', reject);
  });
}

function listening(port: number): boolean {
  // /proc/net/tcp: local address column "00000000:PORT" in hex, state 0A = LISTEN.
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').some((l) => {
    const f = l.trim().split(/\s+/);
    return f[1]?.endsWith(`:${hex}`) && f[3] === '0A';
  });
}

test('host port in use: the command never runs, exit 125 with dockerd\'s message, the container stays Created, nothing is left', privileged, async () => {
  const held = await holdPort();
  const port = (held.address() as net.AddressInfo).port;
  const marks = fs.mkdtempSync(path.join(box.dir, 'marks-'));
  try {
    for (const detach of [false, true]) {
      const name = `busy${detach ? 'd' : ''}`;
      const r = box.slipway('run', ...(detach ? ['-d'] : []), '--name', name, '-v', `${marks}:/marks`, '-p', `${port}:80`, IMAGE, 'sh', '-c', `touch /marks/${name}; sleep 300`);
      assert.equal(r.status, 125, `${name}: ${r.stdout} ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^slipway: .*Error starting userland proxy: listen tcp4 0\\.0\\.0\\.0:${port}: bind: address already in use`, 'm'));
      assert.deepEqual(fs.readdirSync(marks), [], `${name}: the command did not run`);
      const [state] = JSON.parse(ok('inspect', name)) as Array<{ Id: string; State: { Status: string; Error: string; Pid: number } }>;
      assert.equal(state.State.Status, 'created');
      assert.match(state.State.Error, /address already in use/);
      assert.equal(state.State.Pid, 0);
      assert.deepEqual(cgroupDirsOf(state.Id), [], `${name}: no cgroup`);
      assert.deepEqual(mountsUnder(path.join(box.state, 'containers', state.Id)), [], `${name}: no mount`);
    }
    // The stock docker CLI shows the daemon's error the same way, exit 125.
    const d = box.docker('run', '--name', 'busydocker', '-v', `${marks}:/marks`, '-p', `${port}:80`, IMAGE, 'touch', '/marks/busydocker');
    assert.equal(d.status, 125, d.stderr);
    assert.match(d.stderr, new RegExp(`Error response from daemon: .*Error starting userland proxy: listen tcp4 0\\.0\\.0\\.0:${port}: bind: address already in use`));
    assert.deepEqual(fs.readdirSync(marks), []);
  } finally {
    held.close();
  }
  // Once the port is free the same container starts (and its command runs).
  ok('start', 'busyd');
  await until('the command of busyd', () => fs.existsSync(path.join(marks, 'busyd')));
  assert.equal(listening(port), true, 'busyd serves its port');
  // A port held by another Slipway container: Docker's "port is already allocated".
  const r = box.slipway('run', '--name', 'second', '-v', `${marks}:/marks`, '-p', `${port}:80`, IMAGE, 'touch', '/marks/second');
  assert.equal(r.status, 125, r.stderr);
  assert.match(r.stderr, new RegExp(`^slipway: .*Bind for 0\\.0\\.0\\.0:${port} failed: port is already allocated`, 'm'));
  assert.equal(fs.existsSync(path.join(marks, 'second')), false, 'second did not run');
  ok('rm', '-f', 'busy', 'busyd', 'second', 'busydocker');
  await until('the listener to close', () => !listening(port));
});

test('-v /missing/dir:/x creates the host directory; --mount type=bind with a missing source fails', privileged, () => {
  const missing = path.join(box.dir, 'made-by-v', 'deeper');
  assert.equal(ok('run', '--rm', '-v', `${missing}:/x`, IMAGE, 'sh', '-c', 'echo hi > /x/f && cat /x/f'), 'hi\n');
  assert.equal(fs.readFileSync(path.join(missing, 'f'), 'utf8'), 'hi\n');
  assert.equal(fs.statSync(missing).mode & 0o777, 0o755);
  // The stock docker CLI sends --mount as HostConfig.Mounts.
  const gone = path.join(box.dir, 'not-there');
  const r = box.docker('run', '--rm', '--mount', `type=bind,source=${gone},target=/x`, IMAGE, 'true');
  assert.equal(r.status, 125, r.stderr);
  assert.match(r.stderr, new RegExp(`invalid mount config for type "bind": bind source path does not exist: ${gone}`));
  assert.equal(fs.existsSync(gone), false);
  // And an existing source works, read-only as asked.
  fs.mkdirSync(gone);
  const ro = box.docker('run', '--rm', '--mount', `type=bind,source=${gone},target=/x,readonly`, IMAGE, 'touch', '/x/f');
  assert.notEqual(ro.status, 0);
  assert.match(ro.stderr, /Read-only file system/);
});
