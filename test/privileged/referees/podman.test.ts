// podman as a third-party referee for `slipway save`: an image Slipway built, saved as a Docker
// archive and as an OCI archive, loads in a sandboxed podman (its own storage, test/helpers/
// podman.ts), keeps its config and layers, and runs there. A real service (dist/ via
// bin/slipway) on a temp SLIPWAY_ROOT/SLIPWAY_SOCKET. Needs root, podman, runc and `npm run build`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requires } from '../../helpers/tiers';
import { makeBusyboxRootfs } from '../../helpers/rootfs';
import { stopSlipwayAndClean } from '../../helpers/slipway';
import { startPodman, whyNoPodman, type Podman } from '../../helpers/podman';

const repo = path.resolve(__dirname, '..', '..', '..');
const SLIPWAY = path.join(repo, 'bin', 'slipway');

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} failed (${r.status ?? r.signal}): ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

interface InspectedImage { Id: string; Config: { Cmd?: string[] }; RootFS: { Layers: string[] } }

/** The part of `image inspect` both tools must agree on. */
function essentials(raw: string): { id: string; cmd: string[] | undefined; layers: string[] } {
  const [img] = JSON.parse(raw) as InspectedImage[];
  assert.ok(img, `image inspect printed no image: ${raw}`);
  return { id: img.Id.replace(/^sha256:/, ''), cmd: img.Config.Cmd, layers: img.RootFS.Layers };
}

describe('podman loads and runs what slipway save writes', requires(whyNoPodman()), () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let pm: Podman;
  const slipway = (...args: string[]) => spawnSync(SLIPWAY, args, { env, encoding: 'utf8', timeout: 120_000, cwd: dir });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-podman-save-'));
    env = { ...process.env, SLIPWAY_ROOT: path.join(dir, 'state'), SLIPWAY_SOCKET: path.join(dir, 'slipway.sock'), DOCKER_CONFIG: path.join(dir, 'docker') };
    pm = startPodman();
    const rootfs = makeBusyboxRootfs(path.join(dir, 'rootfs')).path;
    ok(spawnSync('tar', ['-C', rootfs, '--numeric-owner', '-cf', path.join(dir, 'base.tar'), '.'], { encoding: 'utf8' }), 'tar rootfs');
    ok(slipway('service', 'start'), 'service start');
    ok(slipway('import', '--change', 'CMD ["/bin/sh"]', path.join(dir, 'base.tar'), 'podref/base:1'), 'import');
    const ctx = path.join(dir, 'ctx');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM podref/base:1\nRUN echo baked > /baked\nCMD ["cat", "/baked"]\n');
    ok(slipway('build', '-t', 'podref/app:1', ctx), 'build');
  });

  after(() => {
    try {
      pm?.cleanup();
    } finally {
      if (env) stopSlipwayAndClean(dir, slipway);
    }
  });

  for (const format of ['docker', 'oci'] as const) {
    test(`slipway save --format ${format} → podman load → same Id, Cmd and layers → podman run prints the RUN's file`, () => {
      const ours = essentials(ok(slipway('image', 'inspect', 'podref/app:1'), 'slipway image inspect'));
      assert.deepEqual(ours.cmd, ['cat', '/baked']);
      assert.equal(ours.layers.length, 2, 'busybox base layer + the RUN layer');

      const archive = path.join(dir, `app-${format}.tar`);
      ok(slipway('save', '--format', format, '-o', archive, 'podref/app:1'), `slipway save --format ${format}`);
      const loaded = ok(pm.podman(['load', '-i', archive]), 'podman load');
      // A Docker archive carries the repo tag (podman qualifies it with localhost/); an OCI
      // archive carries only the ref name annotation, so podman names the image after it.
      const name = format === 'docker' ? 'localhost/podref/app:1' : (loaded.match(/Loaded image: (\S+)/)?.[1] ?? '');
      assert.match(loaded, format === 'docker' ? /Loaded image: localhost\/podref\/app:1/ : /Loaded image: \S+/);

      const theirs = essentials(ok(pm.podman(['image', 'inspect', name]), 'podman image inspect'));
      assert.deepEqual(theirs, ours, 'podman sees the same image ID (config digest), Cmd and diffIDs');

      const run = ok(pm.podman(['run', '--rm', '--network', 'none', name]), 'podman run');
      assert.equal(run, 'baked\n');
      ok(pm.podman(['rmi', '--force', name]), 'podman rmi');
    });
  }
});
