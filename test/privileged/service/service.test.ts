// The real service bundle (dist/service.js) and CLI (bin/slipway → dist/cli.js) on this host,
// checked with the stock docker CLI and socat. Every test uses its own temp SLIPWAY_ROOT and
// SLIPWAY_SOCKET and kills the services it started. Needs `npm run build` first.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { isLiveProcess } from '../../../runtime/common/proc-stat';
import { privileged, requires } from '../../helpers/tiers';

const root = path.resolve(__dirname, '..', '..', '..');
const slipwayBin = path.join(root, 'bin', 'slipway');
const run = promisify(execFile);

interface Sandbox { dir: string; env: NodeJS.ProcessEnv; socket: string; state: string }
const sandboxes: Sandbox[] = [];

function sandbox(): Sandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-svc-'));
  const socket = path.join(dir, 'run', 'slipway.sock');
  const state = path.join(dir, 'state');
  const box = { dir, socket, state, env: { ...process.env, SLIPWAY_ROOT: state, SLIPWAY_SOCKET: socket, DOCKER_HOST: `unix://${socket}` } };
  sandboxes.push(box);
  return box;
}

/** pids of service processes started for this state dir (found by their environment). */
function servicePids(box: Sandbox): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!isLiveProcess(Number(entry))) continue;
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (cmdline.includes('service.js') && environ.includes(`SLIPWAY_ROOT=${box.state}`)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

afterEach(() => {
  for (const box of sandboxes.splice(0)) {
    for (const pid of servicePids(box)) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    fs.rmSync(box.dir, { recursive: true, force: true });
  }
});

function slipway(box: Sandbox, ...args: string[]) {
  const r = spawnSync(slipwayBin, args, { env: box.env, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs slipway and asserts it succeeded, showing its output otherwise. */
function ok(box: Sandbox, ...args: string[]): string {
  const r = slipway(box, ...args);
  assert.equal(r.code, 0, `slipway ${args.join(' ')} exited ${r.code}:\n${r.out}${r.err}`);
  return r.out;
}

const lockPid = (box: Sandbox) => JSON.parse(fs.readFileSync(path.join(box.state, 'service.lock'), 'utf8')).pid as number;

const dockerClis = ['/usr/local/bin/docker', '/usr/bin/docker'].filter((p) => fs.existsSync(p));

test('slipway version against a stopped service starts it; socket 0660, lock names it', privileged, () => {
  const box = sandbox();
  assert.deepEqual(servicePids(box), []);
  const r = slipway(box, 'version');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Client:\n/);
  assert.match(r.out, /\nServer: Slipway\n Engine:\n {2}Version: /);
  const pids = servicePids(box);
  assert.equal(pids.length, 1);
  assert.equal(lockPid(box), pids[0]);
  assert.equal(fs.statSync(box.socket).mode & 0o777, 0o660);
  assert.equal(fs.statSync(path.dirname(box.socket)).mode & 0o777, 0o711);
  const log = fs.readFileSync(path.join(box.state, 'service.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(log.some((l) => l.msg === 'listening' && l.socket === box.socket));
});

for (const docker of dockerClis) {
  test(`${docker} version and info print Slipway as the server`, privileged, () => {
    const box = sandbox();
    ok(box, 'service', 'start');
    const version = spawnSync(docker, ['version'], { env: box.env, encoding: 'utf8', timeout: 20_000 });
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, /Server: Slipway\n Engine:\n {2}Version: +\d+\.\d+\.\d+\n {2}API version: +1\.45 \(minimum version 1\.24\)/);
    const info = spawnSync(docker, ['info'], { env: box.env, encoding: 'utf8', timeout: 20_000 });
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stdout, /Server Version: \d+\.\d+\.\d+/);
    assert.match(info.stdout, /Storage Driver: overlay2/);
    assert.match(info.stdout, new RegExp(`Docker Root Dir: ${box.state}`));
    assert.doesNotMatch(info.stdout + info.stderr, /error/i);
    const formatted = spawnSync(docker, ['version', '--format', '{{.Server.Platform.Name}} {{.Server.APIVersion}}'], { env: box.env, encoding: 'utf8' });
    assert.equal(formatted.stdout.trim(), 'Slipway 1.45');
  });
}

test('docker events with filters and a past --until ends cleanly', requires(dockerClis.length ? undefined : 'requires a docker CLI'), () => {
  const box = sandbox();
  ok(box, 'service', 'start');
  const r = spawnSync(dockerClis[0], ['events', '--since', '1h', '--until', '0s', '--filter', 'type=container', '--filter', 'event=start'], { env: box.env, encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 0, r.stderr);
  const bad = spawnSync(dockerClis[0], ['events', '--until', '0s', '--filter', 'colour=red'], { env: box.env, encoding: 'utf8', timeout: 10_000 });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /invalid filter 'colour'/);
});

test('kill -9 of the service, then slipway version recovers (stale socket and lock)', privileged, () => {
  const box = sandbox();
  ok(box, 'version');
  const first = lockPid(box);
  process.kill(first, 'SIGKILL');
  for (let i = 0; i < 100 && servicePids(box).length > 0; i++) spawnSync('sleep', ['0.02']);
  assert.ok(fs.existsSync(box.socket), 'the killed service left its socket');
  assert.ok(fs.existsSync(path.join(box.state, 'service.lock')), 'and its lock');
  const r = slipway(box, 'version');
  assert.equal(r.code, 0, r.err);
  const second = lockPid(box);
  assert.notEqual(second, first);
  assert.deepEqual(servicePids(box), [second]);
  const log = fs.readFileSync(path.join(box.state, 'service.log'), 'utf8');
  assert.match(log, /replaced a stale lock/);
  assert.match(log, /removed a stale socket/);
});

test('concurrent slipway commands against a stopped service start exactly one', privileged, async () => {
  const box = sandbox();
  const results = await Promise.all([1, 2, 3].map(() => run(slipwayBin, ['info'], { env: box.env, timeout: 20_000 })));
  for (const r of results) assert.match(r.stdout, /Storage Driver: overlay2/);
  await new Promise((r) => setTimeout(r, 300)); // losers of the lock race exit on their own
  assert.deepEqual(servicePids(box), [lockPid(box)]);
});

test('garbage and truncated bodies get 400s and the service keeps answering', requires(fs.existsSync('/usr/bin/socat') ? undefined : 'requires socat'), () => {
  const box = sandbox();
  ok(box, 'service', 'start');
  const socat = (input: string) => spawnSync('socat', ['-t', '1', '-', `UNIX-CONNECT:${box.socket}`], { input, encoding: 'utf8', timeout: 10_000 }).stdout;
  assert.match(socat('GARBAGE\r\n\r\n'), /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*"message":"bad request/);
  assert.match(socat('POST /v1.45/slipway/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":'), /HTTP\/1\.1 (400|404)/);
  assert.match(socat('\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03'), /^(HTTP\/1\.1 400|)/); // a TLS hello
  assert.match(socat('GET /v1.99/version HTTP/1.1\r\nHost: x\r\n\r\n'), /HTTP\/1\.1 400[\s\S]*is too new/);
  const status = slipway(box, 'service', 'status');
  assert.equal(status.code, 0, status.out + status.err);
  assert.match(status.out, /^slipway service: running\n/);
  assert.equal(servicePids(box).length, 1);
});

test('no TCP or UDP socket is open; the Unix socket is', privileged, () => {
  const box = sandbox();
  ok(box, 'service', 'start');
  const pid = lockPid(box);
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // fd closed meanwhile
    }
  }
  assert.ok(inodes.size > 0);
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const rows = fs.readFileSync(`/proc/net/${table}`, 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
    const ours = rows.filter((cols) => inodes.has(cols[9]));
    assert.deepEqual(ours, [], `the service has ${table} sockets`);
  }
  const unix = fs.readFileSync('/proc/net/unix', 'utf8');
  assert.ok(unix.split('\n').some((l) => l.endsWith(box.socket) && inodes.has(l.trim().split(/\s+/)[6])), 'the listening Unix socket belongs to the service');
});

test('idle service stays under 80 MB RSS', privileged, () => {
  const box = sandbox();
  ok(box, 'info');
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${lockPid(box)}/status`, 'utf8'))?.[1]) * 1024;
  assert.ok(rss > 0 && rss < 80 * 1024 * 1024, `rss ${rss}`);
});

test('service start|status|stop; SIGTERM removes socket and lock', privileged, () => {
  const box = sandbox();
  let r = slipway(box, 'service', 'start');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^slipway service started \(pid \d+\)/);
  assert.match(slipway(box, 'service', 'start').out, /already running/);
  r = slipway(box, 'service', 'status', '--format', '{{.status}} {{.pid}}');
  assert.equal(r.out.trim(), `running ${lockPid(box)}`);
  const pid = lockPid(box);
  r = slipway(box, 'service', 'stop');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, `slipway service stopped (pid ${pid})\n`);
  assert.equal(fs.existsSync(box.socket), false);
  assert.equal(fs.existsSync(path.join(box.state, 'service.lock')), false);
  assert.deepEqual(servicePids(box), []);
  assert.equal(slipway(box, 'service', 'status').code, 3);
  // a plain SIGTERM (what systemd or the extension sends) does the same
  ok(box, 'service', 'start');
  const second = lockPid(box);
  process.kill(second, 'SIGTERM');
  for (let i = 0; i < 150 && servicePids(box).length > 0; i++) spawnSync('sleep', ['0.02']);
  assert.deepEqual(servicePids(box), []);
  assert.equal(fs.existsSync(box.socket), false);
  assert.equal(fs.existsSync(path.join(box.state, 'service.lock')), false);
  assert.match(fs.readFileSync(path.join(box.state, 'service.log'), 'utf8'), /"msg":"stopped"/);
});

test('a user who is neither root nor root in a user namespace is told what to do', requires(fs.existsSync('/usr/bin/setpriv') ? undefined : 'requires setpriv'), () => {
  const box = sandbox();
  fs.chmodSync(box.dir, 0o755);
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', slipwayBin, 'version'], { env: box.env, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /needs root privileges: you are uid 65534/);
  assert.match(r.stderr, /unshare --user --map-root-user/);
  assert.deepEqual(servicePids(box), []);
});

test('rootless mode: as root in a user namespace the service starts', requires(fs.existsSync('/usr/bin/setpriv') ? undefined : 'requires setpriv'), () => {
  const box = sandbox();
  fs.chownSync(box.dir, 65534, 65534);
  const asNobody = ['--reuid=65534', '--regid=65534', '--clear-groups', 'unshare', '--user', '--map-root-user', slipwayBin];
  const r = spawnSync('setpriv', [...asNobody, 'version'], { env: box.env, encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0 && /unshare: .*(Operation not permitted|Permission denied)/.test(r.stderr)) return; // user namespaces disabled here
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Server: Slipway/);
  const pid = lockPid(box);
  assert.equal(fs.statSync(`/proc/${pid}`).uid, 65534, 'the service runs as the user outside the namespace');
  assert.notEqual(fs.readlinkSync(`/proc/${pid}/ns/user`), fs.readlinkSync('/proc/self/ns/user'));
  assert.equal(spawnSync('setpriv', [...asNobody, 'service', 'stop'], { env: box.env }).status, 0);
});
