// slipway login/logout/push/pull through the CLI's dispatch, against a service on a temp
// socket and a real htpasswd-protected docker-registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { inProcessCli } from '../../helpers/slipway';
import { ImageStore } from '../../../runtime/image/store';
import { importRootfs } from '../../../runtime/image/import';
import { noSpecialFs } from '../../../runtime/layer/special-fs';
import { startService } from '../../../runtime/service/start';
import { requires } from '../../helpers/tiers';
import { smallRootfsTar, startRegistry, whyNoRegistry } from '../../helpers/registry';

const tier = requires(whyNoRegistry({ basic: { username: 'u', password: 'p' } }));

test('slipway login → push → pull (fresh store) → logout; a wrong password is refused and not stored', tier, async () => {
  const registry = await startRegistry({ basic: { username: 'dan', password: 'd-pass' } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-registry-cli-'));
  const env = { ...process.env, SLIPWAY_SOCKET: path.join(dir, 'api.sock'), SLIPWAY_ROOT: path.join(dir, 'state'), DOCKER_CONFIG: path.join(dir, 'cfg') };
  const cli = inProcessCli(env, dir);
  let service = await startService({ stateRoot: env.SLIPWAY_ROOT, socketPath: env.SLIPWAY_SOCKET, setups: [] });
  try {
    const store = await ImageStore.open(path.join(env.SLIPWAY_ROOT, 'image'), { special: noSpecialFs });
    const name = `${registry.host}/cli/app:2`;
    const { image } = await importRootfs(store, Readable.from([smallRootfsTar(randomBytes(40_000))]), { names: [name] });

    const denied = await cli('push', name);
    assert.equal(denied.code, 1);
    assert.match(denied.err, /requires a login/);

    const wrong = await cli('login', '-u', 'dan', '-p', 'nope', registry.host);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /incorrect username or password/);
    assert.equal(fs.existsSync(path.join(dir, 'cfg', 'config.json')), false);

    const login = await cli('login', '-u', 'dan', '-p', 'd-pass', registry.host);
    assert.equal(login.code, 0, login.err);
    assert.match(login.out, /Login Succeeded/);

    const pushed = await cli('push', name);
    assert.equal(pushed.code, 0, pushed.err);
    assert.match(pushed.out, new RegExp(`2: digest: ${image.manifestDigest}`));

    await service.stop();
    fs.rmSync(env.SLIPWAY_ROOT, { recursive: true, force: true });
    service = await startService({ stateRoot: env.SLIPWAY_ROOT, socketPath: env.SLIPWAY_SOCKET, setups: [] });
    const pulled = await cli('pull', name);
    assert.equal(pulled.code, 0, pulled.err);
    assert.match(pulled.out, /Pull complete/);
    assert.match(pulled.out, new RegExp(`${registry.host}/cli/app:2\\n$`));
    const fresh = await ImageStore.open(path.join(env.SLIPWAY_ROOT, 'image'), { special: noSpecialFs });
    assert.equal((await fresh.get(name)).manifestDigest, image.manifestDigest);

    const bad = await cli('pull', '--platform', 'linux/s390x', name);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /linux\/s390x/);

    const logout = await cli('logout', registry.host);
    assert.match(logout.out, new RegExp(`Removing login credentials for ${registry.host}`));
    const after = await cli('pull', name);
    assert.equal(after.code, 1);
    assert.match(after.err, /requires a login/);
  } finally {
    await service.stop();
    await registry.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
