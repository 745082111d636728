// `export` of a running container and `system df`, against a real service (dist/service.js via
// bin/slipway) on a temp SLIPWAY_ROOT/SLIPWAY_SOCKET, through `slipway` and the stock docker CLI.
// The container runs with a file written into its writable layer, a -v bind and a named volume.
// Needs root and `npm run build`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { privileged, requires } from '../../helpers/tiers';
import { makeBusyboxRootfs } from '../../helpers/rootfs';
import { mountsUnder } from '../../helpers/mounts';
import { stopSlipwayAndClean } from '../../helpers/slipway';
import { humanSize, type Df } from '../../../runtime/cli/commands/system-df';

const repo = path.resolve(__dirname, '..', '..', '..');
const SLIPWAY = path.join(repo, 'bin', 'slipway');
const DOCKER = '/usr/local/bin/docker';
const hasDocker = fs.existsSync(DOCKER);

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return r.stdout;
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
  const api = <T>(p: string) => new Promise<T>((resolve, reject) => {
    http.get({ socketPath: path.join(dir, 'slipway.sock'), path: p }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body) as T) : reject(new Error(`${p}: ${res.statusCode} ${body}`))));
    }).on('error', reject);
  });

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
    stopSlipwayAndClean(dir, slipway);
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
  /** Rows of a `system df` table as whitespace-separated cells (docker pads differently). */
  const rows = (text: string) => text.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/).join(' '));

  test('GET /system/df: the container\'s writable layer, the volume\'s data and references, build cache records', async () => {
    const ctx = path.join(dir, 'cachectx');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM exportbase:1\nRUN --mount=type=cache,id=dfcache,target=/cache head -c 3000 /dev/zero > /cache/blob && echo step > /step.txt\n');
    ok(slipway('build', '-t', 'cached:1', ctx), 'build with a cache mount');
    const df = await api<Omit<Df, 'Containers'> & { Containers: Array<{ Names: string[]; SizeRw: number; SizeRootFs: number; State: string }> }>('/system/df');
    const c = df.Containers.find((x) => x.Names.includes('/exporter'));
    assert.ok(c, `the container is listed: ${JSON.stringify(df.Containers)}`);
    assert.equal(c.State, 'running');
    assert.ok(c.SizeRw >= WRITTEN && c.SizeRw < WRITTEN + 4096, `SizeRw counts the written file: ${c.SizeRw}`);
    const image = df.Images!.find((i) => i.RepoTags?.includes('exportbase:1'));
    assert.ok(image);
    assert.equal(image.Containers, 1);
    assert.equal(c.SizeRootFs, c.SizeRw + image.Size);
    const ps = await api<Array<{ Names: string[]; SizeRw: number; SizeRootFs: number }>>('/containers/json?size=1');
    assert.deepEqual(ps.filter((x) => x.Names.includes('/exporter')).map((x) => [x.SizeRw, x.SizeRootFs]), [[c.SizeRw, c.SizeRootFs]], 'ps -s counts the same');
    assert.deepEqual(df.Volumes!.find((v) => v.Name === 'exportvol')?.UsageData, { Size: IN_VOLUME, RefCount: 1 });
    const mount = df.BuildCache!.find((b) => b.Type === 'exec.cachemount');
    assert.ok(mount && mount.Size >= 3000, `the cache mount with its 3000-byte file: ${JSON.stringify(df.BuildCache)}`);
    const step = df.BuildCache!.find((b) => b.Type === 'regular' && b.Size > 0);
    assert.ok(step, 'the cached RUN step and its layer');
    assert.equal(step.Shared, true, 'its layer is also cached:1\'s');
    const typed = await api<Df>('/system/df?type=volume');
    assert.equal(typed.Containers, null);
    assert.equal(typed.Volumes!.length, df.Volumes!.length);
  });

  test('slipway system df and docker system df agree with the API', requires(hasDocker ? undefined : `${DOCKER} is missing`), async () => {
    const df = await api<Df>('/system/df');
    const sizeRw = df.Containers!.reduce((n, c) => n + (c.SizeRw ?? 0), 0);
    const ours = rows(ok(slipway('system', 'df'), 'slipway system df'));
    assert.equal(ours[1], `Containers 1 1 ${humanSize(sizeRw)} 0B (0%)`);
    assert.equal(ours[2], `Local Volumes ${df.Volumes!.length} 1 ${humanSize(IN_VOLUME)} 0B (0%)`);
    assert.match(ours[3], /^Build Cache \d+ 0 \S+ \S+$/);
    assert.deepEqual(rows(ok(run(DOCKER, ['system', 'df']), 'docker system df')), ours, 'the docker CLI reads the same numbers');
    const verbose = ok(slipway('system', 'df', '-v'), 'slipway system df -v');
    assert.match(verbose, /^exportvol\s+1\s+5kB$/m);
    assert.match(verbose, /^Build cache usage: /m);
    assert.match(verbose, new RegExp(`\\s1\\s+${humanSize(sizeRw)}\\s.*\\sexporter$`, 'm'), 'the container with its one volume');
  });
});
