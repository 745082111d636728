// -p through a real service, for every way a container comes to run: `run -p`, `restart`, a
// restart-policy restart, and re-adoption after kill -9 of the service. Each time busybox httpd
// in the container's own network namespace answers on the host port, and `port`/inspect/ps
// report the binding. A taken host port fails `start` before anything runs (the container
// stays Created, nothing of ours listens); after `rm -f` nothing listens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { privileged } from '../../helpers/tiers';
import { IMAGE, sandboxForFile, until } from './harness';

const box = sandboxForFile();

function ok(...args: string[]): string {
  const r = box.slipway(...args);
  assert.equal(r.status, 0, `slipway ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Holds a TCP port on 0.0.0.0 (as another program would) until closed; port 0 = any. */
function holdPort(port = 0): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(port, '0.0.0.0', () => resolve(s));
    s.on('error', reject);
  });
}

async function freePort(): Promise<number> {
  const s = await holdPort();
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Listeners on `port` in the host's network namespace (/proc/net/tcp, state 0A = LISTEN). */
function listeners(port: number): number {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').filter((l) => {
    const f = l.trim().split(/\s+/);
    return f[1]?.endsWith(hex) && f[3] === '0A';
  }).length;
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/index.html', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve(body));
    }).on('error', reject);
  });
}

const page = (port: number, what: string) => until(what, () => get(port).catch(() => ''));
const pidOf = (name: string) => Number(ok('inspect', '-f', '{{.State.Pid}}', name).trim());
const HTTPD = ['busybox', 'httpd', '-f', '-p', '80'];

/** What `port`, the stock docker CLI's `port` and inspect's NetworkSettings.Ports say of `name`. */
function reported(name: string): { slipway: string; docker: string; inspect: unknown } {
  const d = box.docker('port', name);
  assert.equal(d.status, 0, d.stderr);
  return { slipway: ok('port', name), docker: d.stdout, inspect: JSON.parse(ok('inspect', name))[0].NetworkSettings.Ports };
}

/** The host port chosen for the `-p 127.0.0.1::80` binding (the OS picks one at each start). */
function randomPort(name: string): number {
  const bindings = JSON.parse(ok('inspect', name))[0].NetworkSettings.Ports['80/tcp'] as Array<{ HostIp: string; HostPort: string }>;
  const b = bindings.find((x) => x.HostIp === '127.0.0.1');
  assert.ok(b, `a 127.0.0.1 binding in ${JSON.stringify(bindings)}`);
  return Number(b.HostPort);
}

test('run -p, restart, a restart-policy restart and a service kill -9 + start: the page is served each time', privileged, async () => {
  const port = await freePort();
  const want = (random: number) => ({
    slipway: `80/tcp -> 0.0.0.0:${port}\n80/tcp -> 127.0.0.1:${random}\n`,
    docker: `80/tcp -> 0.0.0.0:${port}\n80/tcp -> 127.0.0.1:${random}\n`,
    inspect: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: String(port) }, { HostIp: '127.0.0.1', HostPort: String(random) }] },
  });
  /** Both bindings serve the page, and every report agrees on them. */
  const served = async (when: string) => {
    const random = randomPort('web');
    assert.equal(await page(port, `the page ${when}`), 'hello from slipway\n');
    assert.equal(await page(random, `the page on the random port ${when}`), 'hello from slipway\n');
    assert.deepEqual(reported('web'), want(random), when);
    assert.deepEqual([listeners(port), listeners(random)], [1, 1], `one listener each ${when}`);
    return random;
  };
  ok('run', '-d', '--name', 'web', '--restart', 'always', '-p', `${port}:80`, '-p', '127.0.0.1::80', IMAGE, ...HTTPD);
  await served('after run -p');
  assert.match(ok('ps'), new RegExp(`0\\.0\\.0\\.0:${port}->80/tcp, 127\\.0\\.0\\.1:\\d+->80/tcp +web\\n`));

  const first = pidOf('web');
  ok('restart', '-t', '1', 'web');
  assert.notEqual(pidOf('web'), first);
  await served('after restart');

  // The policy's restart: the process dies without a user's stop.
  const second = pidOf('web');
  process.kill(second, 'SIGKILL');
  await until('the restart policy\'s restart', () => { const p = pidOf('web'); return p !== 0 && p !== second; });
  assert.equal(ok('inspect', '-f', '{{.RestartCount}}', 'web'), '1\n');
  const random = await served('after the policy\'s restart');

  // kill -9 of the service: its proxies die with it; the next service binds the same ports
  // again, the randomly chosen one included.
  const third = pidOf('web');
  box.killService();
  await until('the service to die', () => box.servicePid() === undefined);
  await until('the old proxies gone', () => listeners(port) + listeners(random) === 0);
  box.startService();
  assert.equal(pidOf('web'), third, 'the same process, re-adopted');
  assert.equal(await served('after the service came back'), random, 'the same random host port');

  ok('rm', '-f', 'web');
  assert.deepEqual([listeners(port), listeners(random)], [0, 0], 'nothing listens after rm -f');
  await assert.rejects(get(port));
});

test('a taken host port fails start: the container stays Created with no process, nothing of ours listens', privileged, async () => {
  const held = await holdPort();
  const port = (held.address() as net.AddressInfo).port;
  try {
    ok('create', '--name', 'blocked', '-p', `${port}:80`, IMAGE, ...HTTPD);
    const r = box.slipway('start', 'blocked');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp(`driver failed programming external connectivity on endpoint blocked \\([0-9a-f]{64}\\): Error starting userland proxy: listen tcp4 0\\.0\\.0\\.0:${port}: bind: address already in use`));
    const [rec] = JSON.parse(ok('inspect', 'blocked')) as Array<{ State: { Status: string; Pid: number; Error: string }; NetworkSettings: { Ports: unknown } }>;
    assert.deepEqual([rec.State.Status, rec.State.Pid], ['created', 0]);
    assert.match(rec.State.Error, /address already in use/);
    assert.deepEqual(rec.NetworkSettings.Ports, { '80/tcp': null }, 'no binding reported');
    assert.equal(listeners(port), 1, 'only the program that holds it');
  } finally {
    await new Promise((r) => held.close(r));
  }
  assert.equal(listeners(port), 0, 'nothing of ours was left listening');
  // Free now: the same container starts and serves; a second one asking for it is refused.
  ok('start', 'blocked');
  assert.equal(await page(port, 'the page once the port is free'), 'hello from slipway\n');
  const again = box.slipway('run', '-d', '--name', 'second', '-p', `${port}:80`, IMAGE, ...HTTPD);
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, new RegExp(`Bind for 0\\.0\\.0\\.0:${port} failed: port is already allocated`));
  assert.equal(ok('inspect', '-f', '{{.State.Status}} {{.State.Pid}}', 'second'), 'created 0\n');
  assert.equal(listeners(port), 1);
  ok('rm', '-f', 'blocked', 'second');
  assert.equal(listeners(port), 0, 'nothing listens after rm -f');
});
