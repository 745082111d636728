#!/usr/bin/env node
// `npm run demo`: the seed's hello-world flow, offline, with Slipway only.
//   1. a base image from Debian's busybox-static (installed with apt-get when missing): a rootfs
//      with /bin/busybox, one link per applet and a minimal /etc, tarred and `slipway import`ed
//      as slipway/busybox:demo with CMD ["/bin/sh"]
//   2. `slipway build -t slipway/hello:demo examples/hello` (live progress)
//   3. the container started through the Engine API with -p PORT:80 (4000, or a free port)
//   4. the page fetched and printed with the per-layer summary; then the container removed
// Needs root (namespaces, overlayfs). Uses the default service (SLIPWAY_ROOT/SLIPWAY_SOCKET
// are honoured), starting it when needed.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import { setTimeout } from 'node:timers';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repo, 'dist', 'cli.js');
const BASE = 'slipway/busybox:demo';
const APP = 'slipway/hello:demo';
const BUSYBOX = '/bin/busybox';

function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(1);
}

function slipway(args, opts = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', input: opts.input });
  if (r.status !== 0) fail(`slipway ${args.join(' ')} failed (exit ${r.status})`);
  return r.stdout ?? '';
}

/** The service's socket, as the CLI resolves it (runtime/paths.ts is the one source of truth). */
let socket;
function socketPath() {
  if (socket) return socket;
  const status = slipway(['service', 'status'], { capture: true });
  socket = /^\s*Socket:\s+(\S+)/m.exec(status)?.[1];
  if (!socket) fail(`cannot find the service socket in:\n${status}`);
  return socket;
}

/** One Engine API call over the service's Unix socket. */
function api(method, urlPath, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request({ socketPath: socketPath(), method, path: urlPath, headers: { Host: 'slipway', 'Content-Type': 'application/json', ...(data ? { 'Content-Length': data.length } : {}) } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        if ((res.statusCode ?? 500) >= 300) return reject(new Error(`${method} ${urlPath}: ${res.statusCode} ${text.trim()}`));
        resolve(text ? JSON.parse(text) : undefined);
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

function freePort(preferred) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => { const t = net.createServer(); t.listen(0, '127.0.0.1', () => { const p = t.address().port; t.close(() => resolve(p)); }); });
    s.listen(preferred, () => s.close(() => resolve(preferred)));
  });
}

function fetchPage(port) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    }).on('error', reject);
  });
}

async function retry(fn, ms) {
  const until = Date.now() + ms;
  for (;;) {
    try { return await fn(); } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

function makeBaseImage() {
  if (!fs.existsSync(BUSYBOX)) {
    console.log('demo: installing busybox-static (apt-get) for the base image');
    const r = spawnSync('apt-get', ['install', '-y', 'busybox-static'], { stdio: 'inherit' });
    if (r.status !== 0 || !fs.existsSync(BUSYBOX)) fail('busybox-static is missing and apt-get could not install it');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-demo-'));
  try {
    const root = path.join(dir, 'rootfs');
    for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'root', 'tmp', 'var/www', 'proc', 'sys', 'dev']) fs.mkdirSync(path.join(root, d), { recursive: true });
    fs.chmodSync(path.join(root, 'tmp'), 0o1777);
    fs.copyFileSync(BUSYBOX, path.join(root, 'bin/busybox'));
    fs.chmodSync(path.join(root, 'bin/busybox'), 0o755);
    for (const applet of execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n')) {
      if (applet && applet !== 'busybox') fs.symlinkSync('busybox', path.join(root, 'bin', applet));
    }
    fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
    fs.writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\nwww-data:x:33:\nnogroup:x:65534:\n');
    fs.writeFileSync(path.join(root, 'etc/os-release'), 'NAME="Slipway demo busybox"\nID=busybox\n');
    const tar = path.join(dir, 'rootfs.tar');
    execFileSync('tar', ['-C', root, '--numeric-owner', '-cf', tar, '.']);
    slipway(['import', '--change', 'CMD ["/bin/sh"]', '-m', 'busybox-static rootfs for the demo', tar, BASE]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (process.platform !== 'linux') fail('the demo needs Linux (namespaces, overlayfs)');
  if (process.getuid() !== 0) fail('the demo needs root (namespaces, overlayfs, cgroups): run it with sudo');
  if (!fs.existsSync(cli)) fail(`${cli} is missing: run npm run build first`);

  console.log(`\n== 1. base image ${BASE} (busybox-static) ==`);
  makeBaseImage();

  console.log(`\n== 2. slipway build -t ${APP} examples/hello ==`);
  const started = Date.now();
  slipway(['build', '-t', APP, path.join(repo, 'examples', 'hello')]);
  const buildMs = Date.now() - started;
  console.log(`\n== warm rebuild (no change: every step cached) ==`);
  const warmStart = Date.now();
  slipway(['build', '-t', APP, path.join(repo, 'examples', 'hello')]);
  const warmMs = Date.now() - warmStart;

  const port = await freePort(Number(process.env.DEMO_PORT ?? 4000));
  console.log(`\n== 3. run ${APP} with -p ${port}:80 ==`);
  const created = await api('POST', '/containers/create?name=slipway-hello-demo-' + process.pid, {
    Image: APP, ExposedPorts: { '80/tcp': {} }, HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
  });
  let page;
  try {
    await api('POST', `/containers/${created.Id}/start`);
    page = await retry(async () => {
      const r = await fetchPage(port);
      if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.text}`);
      return r;
    }, 10_000);
  } finally {
    await api('DELETE', `/containers/${created.Id}?force=1`).catch((err) => console.error(`demo: cleaning up the container: ${err.message}`));
  }

  console.log(`\n== 4. http://127.0.0.1:${port}/ ==`);
  console.log(page.text.trim());
  console.log(`(container ${created.Id.slice(0, 12)})`);
  console.log(`\n== per-layer summary of ${APP} ==`);
  slipway(['layers', '-n', '6', APP]);
  console.log(`cold build ${(buildMs / 1000).toFixed(2)} s (includes the CLI's start-up), warm rebuild ${(warmMs / 1000).toFixed(2)} s`);
  if (!page.text.includes(`Hostname: ${created.Id.slice(0, 12)}`)) fail('the page does not show the container\'s hostname');
  if (process.env.DEMO_KEEP_IMAGES !== '1') {
    slipway(['rmi', APP], { capture: true });
  }
}

main().catch((err) => fail(err.stack ?? String(err)));
