// `export` of a running container and `system df`, against a real service (dist/service.js via
// bin/slipway) on a temp SLIPWAY_ROOT/SLIPWAY_SOCKET, through `slipway` and the stock docker CLI.
// The container runs with a file written into its writable layer, a -v bind and a named volume.
// Needs root and `npm run build`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { privileged, requires } from '../../helpers/tiers';
import { makeBusyboxRootfs } from '../../helpers/rootfs';
import { stopSlipwayAndClean } from '../../helpers/slipway';

const repo = path.resolve(__dirname, '..', '..', '..');
const SLIPWAY = path.join(repo, 'bin', 'slipway');
const DOCKER = '/usr/local/bin/docker';
const hasDocker = fs.existsSync(DOCKER);

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function mountsUnder(dir: string): string[] {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m) => m?.startsWith(dir));
}

/** `tar -tf`: must succeed (a truncated tar fails it), the names without a leading "./". */
function tarNames(file: string): string[] {
  const r = spawnSync('tar', ['-tf', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `tar -tf ${file}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map((n) => n.replace(/^\.\//, ''));
}

const WRITTEN = 10_000; // bytes the container writes into its writable layer
const IN_VOLUME = 5_000; // bytes it writes into the volume

describe('export of a running container, system df', privileged, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 60_000, cwd: dir });
  const slipway = (...args: string[]) => run(SLIPWAY, args);
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-export-df-'));
    env = { ...process.env, SLIPWAY_ROOT: path.join(dir, 'state'), SLIPWAY_SOCKET: path.join(dir, 'slipway.sock'), DOCKER_HOST: `unix://${path.join(dir, 'slipway.sock')}`, DOCKER_CONFIG: path.join(dir, 'docker') };
    const rootfs = makeBusyboxRootfs(path.join(dir, 'rootfs')).path;
    ok(spawnSync('tar', ['-C', rootfs, '--numeric-owner', '-cf', path.join(dir, 'base.tar'), '.'], { encoding: 'utf8' }), 'tar of the rootfs');
    ok(slipway('service', 'start'), 'service start');
    ok(slipway('import', '--change', 'CMD ["/bin/sh"]', path.join(dir, 'base.tar'), 'exportbase:1'), 'import');
    fs.mkdirSync(path.join(dir, 'bind'));
    fs.writeFileSync(path.join(dir, 'bind', 'bind-secret.txt'), 'host content\n');
    ok(slipway('volume', 'create', 'exportvol'), 'volume create');
    const script = `head -c ${WRITTEN} /dev/zero > /written.bin; head -c ${IN_VOLUME} /dev/zero > /data/in-volume.bin; touch /ready; exec sleep 600`;
    ok(slipway('run', '-d', '--name', 'exporter', '-v', `${path.join(dir, 'bind')}:/mnt/bind`, '-v', 'exportvol:/data', 'exportbase:1', 'sh', '-c', script), 'run -d');
    const until = Date.now() + 20_000;
    while (Date.now() < until && slipway('exec', 'exporter', 'test', '-f', '/ready').status !== 0) await new Promise((r) => setTimeout(r, 100));
    ok(slipway('exec', 'exporter', 'test', '-f', '/ready'), 'the container wrote its files');
  });

  after(() => {
    slipway('rm', '-f', 'exporter');
    stopSlipwayAndClean(dir, slipway, mountsUnder);
  });

  const exporters: Array<[string, () => SpawnSyncReturns<string>, string]> = [
    ['slipway export', () => slipway('export', '-o', path.join(dir, 'slipway-export.tar'), 'exporter'), 'slipway-export.tar'],
    ['docker export', () => run(DOCKER, ['export', '-o', path.join(dir, 'docker-export.tar'), 'exporter']), 'docker-export.tar'],
  ];
  for (const [name, exportIt, file] of exporters) {
    test(`${name} of a running container: its rootfs and writable layer, none of its mounts`, requires(name.startsWith('docker') && !hasDocker ? `${DOCKER} is missing` : undefined), () => {
      ok(exportIt(), name);
      const names = tarNames(path.join(dir, file));
      assert.ok(names.includes('written.bin'), 'the file written into the upper dir');
      assert.ok(names.includes('bin/busybox'), 'image content');
      assert.deepEqual(names.filter((n) => /^(proc|sys)\/./.test(n)), [], 'nothing of the /proc and /sys mounts');
      // Mount points may be there (Docker's init layer has dev/pts and dev/shm too), never devices.
      assert.deepEqual(names.filter((n) => /^dev\/./.test(n) && !n.endsWith('/')), [], 'nothing of the /dev mount');
      assert.ok(!names.some((n) => n.includes('bind-secret.txt')), 'no bind-mounted content');
      assert.ok(!names.some((n) => n.includes('in-volume.bin')), 'no volume content');
      assert.deepEqual(mountsUnder(path.join(dir, 'state', 'build-tmp')), [], 'the export mount is gone');
    });
  }
});
