// Third-party referees for what the store writes: skopeo and umoci (Debian packages); podman is
// in test/privileged/referees/podman.test.ts. The image is a real one: Debian's busybox-static as a rootfs tarball.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requires } from '../../helpers/tiers';
import { ImageStore } from '../../../runtime/image/store';
import { importRootfs } from '../../../runtime/image/import';
import { saveImages } from '../../../runtime/image/archive';
import { loadArchive } from '../../../runtime/image/load';
import { extractTar } from '../../../runtime/layer/extract';
import { HostSpecialFs } from '../../../runtime/layer/special-fs';

const special = new HostSpecialFs();
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const BUSYBOX = '/bin/busybox';

async function withTmp(fn: (dir: string) => Promise<void>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-referees-'));
  try {
    await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A busybox rootfs tarball: the static binary, its applet links, /etc files, /tmp with sticky bit. */
function busyboxTarball(dir: string): string {
  const root = path.join(dir, 'rootfs');
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  fs.copyFileSync(BUSYBOX, path.join(root, 'bin/busybox'));
  fs.chmodSync(path.join(root, 'bin/busybox'), 0o755);
  for (const applet of ['sh', 'ls', 'cat', 'echo', 'id']) fs.symlinkSync('busybox', path.join(root, 'bin', applet));
  fs.mkdirSync(path.join(root, 'etc'));
  fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  fs.mkdirSync(path.join(root, 'tmp'), { mode: 0o1777 });
  fs.chmodSync(path.join(root, 'tmp'), 0o1777);
  const tarball = path.join(dir, 'busybox-rootfs.tar.gz');
  execFileSync('tar', ['--numeric-owner', '-C', root, '-czf', tarball, '.']);
  return tarball;
}

/** path, type, mode, owner, size, link target, content hash (first bytes) of every path. */
function describeTree(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(path.join(root, r));
      const kind = st.isDirectory() ? 'd' : st.isSymbolicLink() ? `l>${fs.readlinkSync(path.join(root, r))}` : `f${st.size}:${fs.readFileSync(path.join(root, r)).subarray(0, 64).toString('hex')}`;
      out.push(`${r} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${kind}`);
      if (st.isDirectory()) walk(r);
    }
  };
  walk('');
  return out;
}

const busybox = requires(fs.existsSync(BUSYBOX) ? undefined : 'requires busybox-static (/bin/busybox)');

test('busybox rootfs: import → save → load round trip (Docker and OCI archives), and it runs', busybox, () => withTmp(async (dir) => {
  const s = await ImageStore.open(path.join(dir, 'a'), { special });
  const { image } = await importRootfs(s, fs.createReadStream(busyboxTarball(dir)), { changes: ['CMD ["/bin/sh"]'], names: ['slipway-test/busybox:1'], source: 'busybox-rootfs.tar.gz' });
  for (const format of ['docker', 'oci'] as const) {
    const archive = path.join(dir, `${format}.tar`);
    await saveImages(s, ['slipway-test/busybox:1'], format, fs.createWriteStream(archive));
    const b = await ImageStore.open(path.join(dir, `b-${format}`), { special });
    await loadArchive(b, fs.createReadStream(archive));
    const back = await b.get('slipway-test/busybox:1');
    assert.equal(back.id, image.id);
    const lower = await b.lowerDirs(back.id);
    const out = execFileSync('chroot', [lower.dirs[0], '/bin/sh', '-c', 'echo hello from $(id -u)']).toString();
    assert.equal(out, 'hello from 0\n');
  }
}));

test('skopeo accepts our OCI archive and umoci unpacks it to the same file tree', requires(!has('skopeo') ? 'requires skopeo' : !has('umoci') ? 'requires umoci' : !fs.existsSync(BUSYBOX) ? 'requires busybox-static' : undefined), () => withTmp(async (dir) => {
  const s = await ImageStore.open(path.join(dir, 'a'), { special });
  const { image } = await importRootfs(s, fs.createReadStream(busyboxTarball(dir)), { changes: ['CMD ["/bin/sh"]', 'ENV A=1'], names: ['slipway-test/busybox:oci'] });
  const archive = path.join(dir, 'oci.tar');
  await saveImages(s, ['slipway-test/busybox:oci'], 'oci', fs.createWriteStream(archive));
  const inspect = JSON.parse(execFileSync('skopeo', ['inspect', `oci-archive:${archive}`]).toString()) as { Digest: string; Layers: string[]; Env: string[] };
  assert.equal(inspect.Digest, image.manifestDigest);
  assert.deepEqual(inspect.Layers, image.manifest.layers.map((l) => l.digest));
  assert.deepEqual(inspect.Env, ['A=1']);
  const config = JSON.parse(execFileSync('skopeo', ['inspect', '--config', `oci-archive:${archive}`]).toString()) as { rootfs: { diff_ids: string[] } };
  assert.deepEqual(config.rootfs.diff_ids, image.config.rootfs.diff_ids);

  const layout = path.join(dir, 'layout');
  fs.mkdirSync(layout);
  execFileSync('tar', ['-C', layout, '-xf', archive]);
  execFileSync('umoci', ['unpack', '--image', `${layout}:oci`, path.join(dir, 'bundle')]);
  const ours = path.join(dir, 'ours');
  fs.mkdirSync(ours);
  const { tar, verify } = await s.layers.openTar(image.manifest.layers[0], image.config.rootfs.diff_ids[0]);
  await extractTar(tar, ours, { whiteouts: 'apply', special });
  verify();
  assert.deepEqual(describeTree(path.join(dir, 'bundle', 'rootfs')), describeTree(ours));
}));

// podman's load-and-run of our archives is test/privileged/referees/podman.test.ts (sandboxed).
test('skopeo accepts our Docker archive', requires(!has('skopeo') ? 'requires skopeo' : !fs.existsSync(BUSYBOX) ? 'requires busybox-static' : undefined), () => withTmp(async (dir) => {
  const s = await ImageStore.open(path.join(dir, 'a'), { special });
  const { image } = await importRootfs(s, fs.createReadStream(busyboxTarball(dir)), { names: ['slipway-test/busybox:docker'] });
  await s.tag('slipway-test/busybox:docker', 'localhost:5000/second:2');
  const archive = path.join(dir, 'docker.tar');
  await saveImages(s, ['slipway-test/busybox:docker', 'localhost:5000/second:2'], 'docker', fs.createWriteStream(archive));
  const inspect = JSON.parse(execFileSync('skopeo', ['inspect', '--config', `docker-archive:${archive}:slipway-test/busybox:docker`]).toString()) as { rootfs: { diff_ids: string[] } };
  assert.deepEqual(inspect.rootfs.diff_ids, image.config.rootfs.diff_ids);
  // skopeo recompresses nothing on copy to an OCI layout; the layer must keep its diffID.
  execFileSync('skopeo', ['copy', `docker-archive:${archive}:localhost:5000/second:2`, `oci:${path.join(dir, 'copy')}:x`]);
  const copied = JSON.parse(execFileSync('skopeo', ['inspect', '--config', `oci:${path.join(dir, 'copy')}:x`]).toString()) as { rootfs: { diff_ids: string[] } };
  assert.deepEqual(copied.rootfs.diff_ids, image.config.rootfs.diff_ids);
}));

test('a skopeo-made OCI archive loads into our store', requires(has('skopeo') ? undefined : 'requires skopeo'), () => withTmp(async (dir) => {
  const s = await ImageStore.open(path.join(dir, 'a'), { special });
  const { image } = await importRootfs(s, fs.createReadStream(busyboxTarball(dir)), { names: ['slipway-test/busybox:src'] });
  const ours = path.join(dir, 'ours.tar');
  await saveImages(s, ['slipway-test/busybox:src'], 'docker', fs.createWriteStream(ours));
  const theirs = path.join(dir, 'theirs.tar');
  execFileSync('skopeo', ['copy', `docker-archive:${ours}`, `oci-archive:${theirs}:docker.io/slipway-test/busybox:theirs`]);
  const b = await ImageStore.open(path.join(dir, 'b'), { special });
  const loaded = await loadArchive(b, fs.createReadStream(theirs));
  assert.equal(loaded.images.length, 1);
  assert.deepEqual(loaded.images[0].config.rootfs.diff_ids, image.config.rootfs.diff_ids);
  assert.equal((await b.get('slipway-test/busybox:theirs')).id, loaded.images[0].id);
}));
