// The Engine API's pull, push and auth routes, driven by the stock docker CLI against a
// service on a temp socket and a real docker-registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { ImageStore } from '../../../runtime/image/store';
import { importRootfs } from '../../../runtime/image/import';
import { noSpecialFs } from '../../../runtime/layer/special-fs';
import { startService } from '../../../runtime/service/start';
import { requires } from '../../helpers/tiers';
import { smallRootfsTar, startRegistry, whyNoRegistry } from '../../helpers/registry';

const DOCKER = '/usr/local/bin/docker';
const run = promisify(execFile);
const tier = requires(whyNoRegistry({ basic: { username: 'u', password: 'p' } }) ?? (fs.existsSync(DOCKER) ? undefined : `${DOCKER} is missing`));

test('docker CLI: login (wrong then right password), push, pull into a fresh service store, unknown tag', tier, async () => {
  const registry = await startRegistry({ basic: { username: 'carol', password: 'c-pass' } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-registry-api-'));
  const stateRoot = path.join(dir, 'state');
  const socketPath = path.join(dir, 'api.sock');
  const service = await startService({ stateRoot, socketPath, setups: [] });
  const env = { ...process.env, DOCKER_HOST: `unix://${socketPath}`, DOCKER_CONFIG: path.join(dir, 'docker-config') };
  const docker = (args: string[], input?: string) => {
    const p = run(DOCKER, args, { env, maxBuffer: 16 << 20 });
    if (input !== undefined) p.child.stdin!.end(input);
    return p;
  };
  try {
    const store = await ImageStore.open(path.join(stateRoot, 'image'), { special: noSpecialFs });
    const name = `${registry.host}/api/app:1`;
    const { image } = await importRootfs(store, Readable.from([smallRootfsTar(randomBytes(50_000))]), { names: [name] });

    await assert.rejects(docker(['login', registry.host, '-u', 'carol', '--password-stdin'], 'wrong'), (err: Error & { stderr: string }) => {
      assert.match(err.stderr, /incorrect username or password/);
      assert.doesNotMatch(err.stderr, /wrong/);
      return true;
    });
    const login = await docker(['login', registry.host, '-u', 'carol', '--password-stdin'], 'c-pass');
    assert.match(login.stdout, /Login Succeeded/);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'docker-config', 'config.json'), 'utf8')) as { auths: Record<string, { auth: string }> };
    assert.equal(Buffer.from(saved.auths[registry.host].auth, 'base64').toString(), 'carol:c-pass');

    const pushed = await docker(['push', name]);
    assert.match(pushed.stdout, new RegExp(`1: digest: ${image.manifestDigest}`));
    assert.match(pushed.stdout, /Pushed/);

    // A fresh store: remove the image's name and blobs by opening another state root.
    await service.stop();
    fs.rmSync(stateRoot, { recursive: true, force: true });
    const again = await startService({ stateRoot, socketPath, setups: [] });
    try {
      const pulled = await docker(['pull', name]);
      assert.match(pulled.stdout, /Pull complete/);
      assert.match(pulled.stdout, new RegExp(`Digest: ${image.manifestDigest}`));
      assert.match(pulled.stdout, /Status: Downloaded newer image/);
      const s2 = await ImageStore.open(path.join(stateRoot, 'image'), { special: noSpecialFs });
      assert.equal((await s2.get(name)).manifestDigest, image.manifestDigest);
      // The route unpacks as it pulls: the layer is ready for overlay.
      const lower = await s2.lowerDirs(name);
      assert.equal(fs.readFileSync(path.join(lower.dirs[0], 'data', 'payload')).length, 50_000);
      const same = await docker(['pull', name]);
      assert.match(same.stdout, /Image is up to date/);
      await assert.rejects(docker(['pull', `${registry.host}/api/app:missing`]), (err: Error & { stderr: string }) => /manifest unknown/.test(err.stderr) && err.stderr.includes(`${registry.host}/api/app:missing`));
    } finally {
      await again.stop();
    }
  } finally {
    await service.stop();
    await registry.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
