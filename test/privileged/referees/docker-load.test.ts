// dockerd as a third-party referee for `slipway save`: an image Slipway built, saved as a Docker
// archive, loads in a sandboxed dockerd (test/helpers/dockerd.ts) with the same image ID, Cmd and
// layers, and runs there printing what the RUN step baked. A real service (dist/ via bin/slipway)
// on a temp SLIPWAY_ROOT/SLIPWAY_SOCKET. Needs root, docker.io, busybox-static and `npm run build`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requires } from '../../helpers/tiers';
import { makeBusyboxRootfs } from '../../helpers/rootfs';
import { stopSlipwayAndClean } from '../../helpers/slipway';
import { startDockerd, whyNoDockerd, type Dockerd } from '../../helpers/dockerd';

const repo = path.resolve(__dirname, '..', '..', '..');
const SLIPWAY = path.join(repo, 'bin', 'slipway');

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} failed (${r.status ?? r.signal}): ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

interface InspectedImage { Id: string; RepoTags?: string[]; Config: { Cmd?: string[] }; RootFS: { Layers: string[] } }

function only(raw: string): InspectedImage {
  const [img] = JSON.parse(raw) as InspectedImage[];
  assert.ok(img, `image inspect printed no image: ${raw}`);
  return img;
}

describe('docker loads and runs what slipway save writes', requires(whyNoDockerd()), () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let dockerd: Dockerd | undefined;
  const token = randomBytes(6).toString('hex');
  const slipway = (...args: string[]) => spawnSync(SLIPWAY, args, { env, encoding: 'utf8', timeout: 120_000, cwd: dir });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-docker-save-'));
    env = { ...process.env, SLIPWAY_ROOT: path.join(dir, 'state'), SLIPWAY_SOCKET: path.join(dir, 'slipway.sock'), DOCKER_CONFIG: path.join(dir, 'docker') };
    dockerd = await startDockerd();
    const rootfs = makeBusyboxRootfs(path.join(dir, 'rootfs')).path;
    ok(spawnSync('tar', ['-C', rootfs, '--numeric-owner', '-cf', path.join(dir, 'base.tar'), '.'], { encoding: 'utf8' }), 'tar rootfs');
    ok(slipway('service', 'start'), 'service start');
    ok(slipway('import', '--change', 'CMD ["/bin/sh"]', path.join(dir, 'base.tar'), 'dockref/base:1'), 'import');
    const ctx = path.join(dir, 'ctx');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM dockref/base:1\nRUN echo baked-${token} > /baked\nCMD ["cat", "/baked"]\n`);
    ok(slipway('build', '-t', 'dockref/app:1', ctx), 'build');
  });

  after(async () => {
    try {
      await dockerd?.cleanup();
    } finally {
      if (env) stopSlipwayAndClean(dir, slipway);
    }
    const links = spawnSync('ip', ['-br', 'link'], { encoding: 'utf8' }).stdout;
    assert.doesNotMatch(links, /^docker0\b/m, 'the sandboxed dockerd made no docker0 bridge');
  });

  test('slipway save -o x.tar → docker load -i → same Id, tag, Cmd and layers → docker run prints the RUN\'s file', () => {
    const d = dockerd!;
    const ours = only(ok(slipway('image', 'inspect', 'dockref/app:1'), 'slipway image inspect'));
    assert.deepEqual(ours.Config.Cmd, ['cat', '/baked']);
    assert.equal(ours.RootFS.Layers.length, 2, 'busybox base layer + the RUN layer');

    const archive = path.join(dir, 'app.tar');
    ok(slipway('save', '-o', archive, 'dockref/app:1'), 'slipway save');
    const loaded = ok(d.docker(['load', '-i', archive]), 'docker load');
    assert.match(loaded, /Loaded image: dockref\/app:1/);

    const theirs = only(ok(d.docker(['image', 'inspect', 'dockref/app:1']), 'docker image inspect'));
    assert.equal(theirs.Id, ours.Id, 'docker sees the same image ID: the config digest slipway wrote');
    assert.deepEqual(theirs.RepoTags, ['dockref/app:1']);
    assert.deepEqual(theirs.Config.Cmd, ours.Config.Cmd);
    assert.deepEqual(theirs.RootFS.Layers, ours.RootFS.Layers, 'the same diffIDs: the layers were stored as slipway wrote them');

    const run = ok(d.docker(['run', '--rm', '--network', 'none', 'dockref/app:1']), 'docker run');
    assert.equal(run, `baked-${token}\n`);
    assert.equal(ok(d.docker(['ps', '-aq']), 'docker ps').trim(), '', '--rm left a container');
  });
});
