// podman as a third-party referee for `slipway push`: what Slipway pushes to a real
// docker-registry is pulled by a sandboxed podman (test/helpers/podman.ts) with the same image ID
// (config digest), manifest digest, Cmd and layers, and runs there. The service runs in-process
// on a temp socket; the CLI goes through its dispatch. Needs root (podman's own storage), podman,
// runc, busybox-static and docker-registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inProcessCliOk } from '../helpers/slipway';
import { startService } from '../../runtime/service/start';
import { requires } from '../helpers/tiers';
import { startRegistry, whyNoRegistry } from '../helpers/registry';
import { makeBusyboxRootfs, BUSYBOX } from '../helpers/rootfs';
import { startPodman, whyNoPodman } from '../helpers/podman';

const tier = requires(whyNoRegistry() ?? whyNoPodman() ?? (fs.existsSync(BUSYBOX) ? undefined : `${BUSYBOX} is missing: apt-get install busybox-static`));

interface InspectedImage { Id: string; Digest?: string; Config: { Cmd?: string[] }; RootFS: { Layers: string[] } }

test('slipway push → podman pull: same image ID, manifest digest, Cmd and layers; podman runs it', tier, async () => {
  const registry = await startRegistry();
  const pm = startPodman();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-podman-push-'));
  const env = { ...process.env, SLIPWAY_SOCKET: path.join(dir, 'api.sock'), SLIPWAY_ROOT: path.join(dir, 'state'), DOCKER_CONFIG: path.join(dir, 'cfg') };
  const cli = inProcessCliOk(env, dir);
  const service = await startService({ stateRoot: env.SLIPWAY_ROOT, socketPath: env.SLIPWAY_SOCKET, setups: [] });
  try {
    const rootfs = makeBusyboxRootfs(path.join(dir, 'rootfs')).path;
    const tar = spawnSync('tar', ['-C', rootfs, '--numeric-owner', '-cf', path.join(dir, 'base.tar'), '.'], { encoding: 'utf8' });
    assert.equal(tar.status, 0, tar.stderr);
    const name = `${registry.host}/ref/app:1`;
    await cli('import', '--change', 'CMD ["cat", "/etc/os-release"]', '--change', 'ENV GREETING=from-slipway', path.join(dir, 'base.tar'), name);
    const [ours] = JSON.parse(await cli('image', 'inspect', name)) as InspectedImage[];
    assert.ok(ours);

    const pushed = await cli('push', name);
    const manifestDigest = pushed.match(/1: digest: (sha256:[0-9a-f]{64})/)?.[1];
    assert.ok(manifestDigest, `push printed no digest: ${pushed}`);

    const pull = pm.podman(['pull', '--tls-verify=false', name]);
    assert.equal(pull.status, 0, `podman pull failed: ${pull.stdout}\n${pull.stderr}`);
    assert.equal(pull.stdout.trim(), ours.Id.replace(/^sha256:/, ''), 'podman pull prints the image ID: the config digest Slipway computed');

    const inspect = pm.podman(['image', 'inspect', name]);
    assert.equal(inspect.status, 0, inspect.stderr);
    const [theirs] = JSON.parse(inspect.stdout) as InspectedImage[];
    assert.ok(theirs);
    assert.equal(theirs.Id.replace(/^sha256:/, ''), ours.Id.replace(/^sha256:/, ''));
    assert.equal(theirs.Digest, manifestDigest, 'podman stored the manifest slipway pushed, byte for byte');
    assert.deepEqual(theirs.Config.Cmd, ['cat', '/etc/os-release']);
    assert.deepEqual(theirs.RootFS.Layers, ours.RootFS.Layers);

    const run = pm.podman(['run', '--rm', '--network', 'none', name]);
    assert.equal(run.status, 0, `podman run failed: ${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /NAME="Slipway test busybox"/);
    const envRun = pm.podman(['run', '--rm', '--network', 'none', name, 'sh', '-c', 'echo $GREETING']);
    assert.equal(envRun.stdout, 'from-slipway\n', envRun.stderr);
  } finally {
    try {
      pm.cleanup();
    } finally {
      await service.stop();
      await registry.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});
