// The whole image path through the `slipway` CLI bundle, end to end: a real service process
// (dist/service.js on a temp SLIPWAY_ROOT/SLIPWAY_SOCKET) and a real docker-registry.
// import a busybox rootfs → build FROM it → tag → push → rmi everything → pull → run prints
// what the Dockerfile baked in, with the same manifest digest and image id as before the
// push; and a build FROM the registry image pulls the missing base by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { bundlePath } from '../../runtime/paths';
import { mountsUnder } from '../helpers/mounts';
import { makeBusyboxRootfs } from '../helpers/rootfs';
import { requires } from '../helpers/tiers';
import { startRegistry, whyNoRegistry } from '../helpers/registry';

const BUNDLES = ['service.js', 'cli.js', 'init.js', 'container-worker.js'];
const missing = BUNDLES.filter((b) => !fs.existsSync(bundlePath(b)));
const tier = requires(whyNoRegistry() ?? (missing.length ? `dist/${missing.join(', dist/')} missing: npm run build` : undefined));

interface Cli { code: number; out: string; err: string }

/** GET over the service's socket; status and parsed JSON (or undefined). */
function apiGet(socketPath: string, urlPath: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    http.get({ socketPath, path: urlPath, headers: { Host: 'slipway' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => {
        let body: unknown;
        try { body = JSON.parse(text); } catch { body = text; }
        resolve({ status: res.statusCode ?? 0, body });
      });
    }).on('error', reject);
  });
}

async function startServiceProcess(env: NodeJS.ProcessEnv, socketPath: string): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [bundlePath('service.js')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-8000); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}: ${stderr}`);
    const ok = await apiGet(socketPath, '/_ping').then((r) => r.status === 200, () => false);
    if (ok) return { child, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the service did not answer on ${socketPath}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('CLI round trip through a registry: import, build, tag, push, rmi, pull, run; FROM a registry image pulls it', tier, async () => {
  const registry = await startRegistry();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-roundtrip-'));
  const socketPath = path.join(dir, 'api.sock');
  const env: NodeJS.ProcessEnv = { ...process.env, SLIPWAY_ROOT: path.join(dir, 'state'), SLIPWAY_SOCKET: socketPath, DOCKER_CONFIG: path.join(dir, 'cfg') };
  const cli = (...argv: string[]): Cli => {
    try {
      const out = execFileSync(process.execPath, [bundlePath('cli.js'), ...argv], { env, cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 << 20, timeout: 120_000 });
      return { code: 0, out, err: '' };
    } catch (e) {
      const err = e as { status: number | null; stdout: string; stderr: string };
      return { code: err.status ?? -1, out: err.stdout, err: err.stderr };
    }
  };
  const ok = (...argv: string[]): string => {
    const r = cli(...argv);
    assert.equal(r.code, 0, `slipway ${argv.join(' ')} failed:\n${r.err}\n${r.out}`);
    return r.out;
  };
  const inspectImage = async (ref: string) => apiGet(socketPath, `/images/${encodeURIComponent(ref)}/json`) as Promise<{ status: number; body: { Id: string; RepoDigests?: string[] } }>;
  const service = await startServiceProcess(env, socketPath);
  try {
    const token = randomBytes(8).toString('hex');
    const remote = `${registry.host}/rt/app:1`;

    const rootfs = makeBusyboxRootfs();
    const rootfsTar = path.join(dir, 'rootfs.tar');
    try {
      execFileSync('tar', ['-C', rootfs.path, '--owner=0', '--group=0', '-cf', rootfsTar, '.']);
    } finally {
      rootfs.cleanup();
    }
    ok('import', rootfsTar, 'rt-base:latest');

    const ctx = path.join(dir, 'ctx');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM rt-base:latest\nRUN echo baked-${token} > /baked\nCMD ["cat", "/baked"]\n`);
    ok('build', '-t', 'rt-app:latest', ctx);
    const built = await inspectImage('rt-app:latest');
    assert.equal(built.status, 200);
    ok('tag', 'rt-app:latest', remote);

    const pushed = ok('push', remote);
    const pushedDigest = /1: digest: (sha256:[0-9a-f]{64})/.exec(pushed)?.[1];
    assert.ok(pushedDigest, `no digest in the push output:\n${pushed}`);

    ok('rmi', 'rt-app:latest', remote, 'rt-base:latest');
    for (const ref of ['rt-app:latest', remote, 'rt-base:latest']) assert.equal((await inspectImage(ref)).status, 404, `${ref} is still there`);
    assert.equal((await inspectImage(built.body.Id)).status, 404, 'the built image is still in the store');

    const pulled = ok('pull', remote);
    assert.match(pulled, new RegExp(`${remote}\\n$`));
    const after = await inspectImage(remote);
    assert.equal(after.status, 200);
    assert.equal(after.body.Id, built.body.Id, 'the pulled image has the built image\'s config');
    assert.ok(after.body.RepoDigests?.includes(`${registry.host}/rt/app@${pushedDigest}`), `RepoDigests ${JSON.stringify(after.body.RepoDigests)} lack ${pushedDigest}`);
    assert.equal(ok('run', '--rm', remote).trim(), `baked-${token}`);
    const leftovers = ok('ps', '-a', '-q').trim();
    assert.equal(leftovers, '', '--rm left a container');

    // The second build's base is only in the registry.
    ok('rmi', remote);
    assert.equal((await inspectImage(remote)).status, 404);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${remote}\nRUN cp /baked /again\nCMD ["cat", "/again"]\n`);
    ok('build', '-t', 'rt-second:latest', ctx);
    assert.equal(ok('run', '--rm', 'rt-second:latest').trim(), `baked-${token}`);
    assert.equal(ok('run', '--rm', 'rt-second:latest', 'cat', '/baked').trim(), `baked-${token}`);
  } finally {
    await service.stop();
    await registry.stop();
    const mounts = mountsUnder(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(mounts, [], 'mounts left under the state dir');
  }
});
