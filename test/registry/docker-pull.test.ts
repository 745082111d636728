// dockerd as a third-party referee for `slipway push`: an image Slipway built on an imported
// busybox rootfs (with an ENV and a CMD) and pushed to a real docker-registry is pulled by a
// sandboxed dockerd (test/helpers/dockerd.ts) with the same image ID (config digest) and the
// pushed manifest digest in RepoDigests, and runs there printing what the Dockerfile baked in.
// The service runs in-process on a temp socket; the CLI goes through its dispatch. Needs root,
// docker.io, busybox-static, docker-registry and `npm run build` (the RUN step's worker bundle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inProcessCliOk } from '../helpers/slipway';
import { bundlePath } from '../../runtime/paths';
import { startService } from '../../runtime/service/start';
import { requires } from '../helpers/tiers';
import { startRegistry, whyNoRegistry } from '../helpers/registry';
import { makeBusyboxRootfs, BUSYBOX } from '../helpers/rootfs';
import { startDockerd, whyNoDockerd } from '../helpers/dockerd';

const missingBundles = ['init.js', 'container-worker.js'].filter((b) => !fs.existsSync(bundlePath(b)));
const tier = requires(whyNoRegistry() ?? whyNoDockerd()
  ?? (fs.existsSync(BUSYBOX) ? undefined : `${BUSYBOX} is missing: apt-get install busybox-static`)
  ?? (missingBundles.length ? `dist/${missingBundles.join(', dist/')} missing: npm run build` : undefined));

interface InspectedImage { Id: string; RepoDigests?: string[]; Config: { Cmd?: string[]; Env?: string[] }; RootFS: { Layers: string[] } }

test('slipway build + push → docker pull: same image ID, manifest digest in RepoDigests; docker run prints the baked file', tier, async () => {
  const registry = await startRegistry();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-docker-pull-'));
  const env = { ...process.env, SLIPWAY_SOCKET: path.join(dir, 'api.sock'), SLIPWAY_ROOT: path.join(dir, 'state'), DOCKER_CONFIG: path.join(dir, 'cfg') };
  const cli = inProcessCliOk(env, dir);
  const service = await startService({ stateRoot: env.SLIPWAY_ROOT, socketPath: env.SLIPWAY_SOCKET, setups: [] });
  let dockerd: Awaited<ReturnType<typeof startDockerd>> | undefined;
  try {
    dockerd = await startDockerd();
    const d = dockerd;
    const token = randomBytes(6).toString('hex');
    const rootfs = makeBusyboxRootfs(path.join(dir, 'rootfs')).path;
    const tar = spawnSync('tar', ['-C', rootfs, '--numeric-owner', '-cf', path.join(dir, 'base.tar'), '.'], { encoding: 'utf8' });
    assert.equal(tar.status, 0, tar.stderr);
    await cli('import', '--change', 'CMD ["/bin/sh"]', '--change', 'ENV GREETING=from-slipway', path.join(dir, 'base.tar'), 'dref/base:1');
    const ctx = path.join(dir, 'ctx');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM dref/base:1\nRUN echo "baked-${token} $GREETING" > /baked\nCMD ["cat", "/baked"]\n`);
    const name = `${registry.host}/ref/app:1`;
    await cli('build', '-t', name, ctx);
    const [ours] = JSON.parse(await cli('image', 'inspect', name)) as InspectedImage[];
    assert.ok(ours);

    const pushed = await cli('push', name);
    const manifestDigest = pushed.match(/1: digest: (sha256:[0-9a-f]{64})/)?.[1];
    assert.ok(manifestDigest, `push printed no digest: ${pushed}`);

    const pull = d.docker(['pull', name]);
    assert.equal(pull.status, 0, `docker pull failed: ${pull.stdout}\n${pull.stderr}`);
    assert.match(pull.stdout, new RegExp(`Digest: ${manifestDigest}`), 'docker reports the manifest digest slipway pushed');

    const inspect = d.docker(['image', 'inspect', name]);
    assert.equal(inspect.status, 0, inspect.stderr);
    const [theirs] = JSON.parse(inspect.stdout) as InspectedImage[];
    assert.ok(theirs);
    assert.equal(theirs.Id, ours.Id, 'docker computes the same image ID: the config digest slipway wrote');
    assert.deepEqual(theirs.RepoDigests, [`${registry.host}/ref/app@${manifestDigest}`]);
    assert.deepEqual(theirs.Config.Cmd, ['cat', '/baked']);
    assert.ok(theirs.Config.Env?.includes('GREETING=from-slipway'), `Env ${JSON.stringify(theirs.Config.Env)}`);
    assert.deepEqual(theirs.RootFS.Layers, ours.RootFS.Layers);

    const run = d.docker(['run', '--rm', '--network', 'none', name]);
    assert.equal(run.status, 0, `docker run failed: ${run.stdout}\n${run.stderr}`);
    assert.equal(run.stdout, `baked-${token} from-slipway\n`);
    const envRun = d.docker(['run', '--rm', '--network', 'none', name, 'sh', '-c', 'echo $GREETING']);
    assert.equal(envRun.stdout, 'from-slipway\n', envRun.stderr);
    assert.equal(d.docker(['ps', '-aq']).stdout.trim(), '', '--rm left a container');
  } finally {
    try {
      await dockerd?.cleanup();
    } finally {
      await service.stop();
      await registry.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const links = spawnSync('ip', ['-br', 'link'], { encoding: 'utf8' }).stdout;
  assert.doesNotMatch(links, /^docker0\b/m, 'the sandboxed dockerd made no docker0 bridge');
});
