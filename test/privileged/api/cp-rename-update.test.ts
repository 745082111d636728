// The stock docker CLI's `cp` (both ways, running and stopped containers), `rename` and
// `update` against a real Slipway service: contents and modes arrive, a symlink planted in the
// container is never followed out of its root, renamed containers free their old name, and
// update writes the live cgroup's limit and the record's HostConfig. A running container is
// frozen while a copy works on it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { privileged, requires } from '../../helpers/tiers';
import { cgroupDirsOf, DOCKER, IMAGE, mountsUnder, sandbox, until, type Sandbox } from './harness';

const opts = fs.existsSync(DOCKER) ? privileged : requires(`requires ${DOCKER}`);
let box: Sandbox;
let local: string;

before(async () => {
  if (process.getuid?.() !== 0 || !fs.existsSync(DOCKER)) return;
  box = await sandbox();
  box.startService();
  local = path.join(box.dir, 'local');
  fs.mkdirSync(local);
});
after(async () => { await box?.cleanup(); });

function ok(r: { status: number | null; stderr: string; stdout: string }, what: string): string {
  assert.equal(r.status, 0, `${what}: ${r.stderr}`);
  return r.stdout;
}

/** A local tree: a file with mode 0640, a directory with an executable script in it. */
function makeLocalTree(base: string): void {
  fs.mkdirSync(path.join(base, 'tree', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(base, 'note.txt'), 'a note\n');
  fs.chmodSync(path.join(base, 'note.txt'), 0o640);
  fs.writeFileSync(path.join(base, 'tree', 'sub', 'run.sh'), '#!/bin/sh\necho ran\n');
  fs.chmodSync(path.join(base, 'tree', 'sub', 'run.sh'), 0o751);
}

// One container running, one stopped: cp works the same on both.
for (const state of ['running', 'stopped'] as const) {
  test(`docker cp in and out of a ${state} container: files, directories, modes`, opts, () => {
    const name = `cp-${state}`;
    ok(box.docker('run', '-d', '--name', name, IMAGE, 'sh', '-c', 'mkdir -p /srv/app && echo from-ctr > /srv/app/hello && chmod 604 /srv/app/hello && sleep 300'), 'run');
    const here = path.join(local, state);
    fs.mkdirSync(here);
    makeLocalTree(here);
    // Wait for the container's own files before stopping it.
    for (let i = 0; i < 50 && box.docker('exec', name, 'test', '-f', '/srv/app/hello').status !== 0; i++) ok(box.docker('exec', name, 'sleep', '0.1'), 'wait');
    if (state === 'stopped') ok(box.docker('stop', '-t', '0', name), 'stop');

    // In: a file into an existing directory, a file to a new name, a directory.
    ok(box.docker('cp', path.join(here, 'note.txt'), `${name}:/srv/app/`), 'cp file in');
    ok(box.docker('cp', path.join(here, 'note.txt'), `${name}:/srv/renamed.txt`), 'cp file in, new name');
    ok(box.docker('cp', path.join(here, 'tree'), `${name}:/srv/`), 'cp dir in');
    if (state === 'stopped') ok(box.docker('start', name), 'start');
    const seen = ok(box.docker('exec', name, 'sh', '-c', 'cat /srv/app/note.txt /srv/renamed.txt; stat -c "%a %n" /srv/app/note.txt /srv/tree/sub/run.sh; /srv/tree/sub/run.sh'), 'exec');
    assert.equal(seen, 'a note\na note\n640 /srv/app/note.txt\n751 /srv/tree/sub/run.sh\nran\n');
    if (state === 'stopped') ok(box.docker('stop', '-t', '0', name), 'stop again');

    // Out: a file, a directory (with what was copied in), and a tar on stdout.
    const out = path.join(here, 'out');
    fs.mkdirSync(out);
    ok(box.docker('cp', `${name}:/srv/app/hello`, path.join(out, 'hello.txt')), 'cp file out');
    assert.equal(fs.readFileSync(path.join(out, 'hello.txt'), 'utf8'), 'from-ctr\n');
    assert.equal(fs.statSync(path.join(out, 'hello.txt')).mode & 0o777, 0o604);
    ok(box.docker('cp', `${name}:/srv`, out), 'cp dir out');
    assert.equal(fs.readFileSync(path.join(out, 'srv', 'tree', 'sub', 'run.sh'), 'utf8'), '#!/bin/sh\necho ran\n');
    assert.equal(fs.statSync(path.join(out, 'srv', 'tree', 'sub', 'run.sh')).mode & 0o777, 0o751);
    assert.equal(fs.readFileSync(path.join(out, 'srv', 'app', 'hello'), 'utf8'), 'from-ctr\n');
    const tar = box.run(DOCKER, ['cp', `${name}:/srv/app/.`, '-']);
    assert.equal(tar.status, 0, tar.stderr);
    assert.match(tar.stdout, /\.\/hello/);
    assert.match(tar.stdout, /from-ctr/);

    ok(box.docker('rm', '-f', name), 'rm');
    assert.deepEqual(mountsUnder(box.state), [], 'no archive mount is left');
  });
}

test('docker cp: a symlink in the container that points outside is not followed out of the root', opts, () => {
  const name = 'cp-escape';
  // /escape -> /  (the host's / if anything resolved it from the host), /srv/etc -> /etc
  ok(box.docker('run', '-d', '--name', name, IMAGE, 'sh', '-c', 'ln -s / /escape && mkdir /srv && ln -s /etc /srv/etc && echo inside > /marker && sleep 300'), 'run');
  for (let i = 0; i < 50 && box.docker('exec', name, 'test', '-e', '/marker').status !== 0; i++) ok(box.docker('exec', name, 'sleep', '0.1'), 'wait');
  const hostMarker = path.join(box.dir, 'host-marker');
  fs.writeFileSync(hostMarker, 'host\n');

  // Reading through the link: the container's own root, never the host's.
  const out = path.join(local, 'escape');
  fs.mkdirSync(out);
  ok(box.docker('cp', `${name}:/escape/marker`, path.join(out, 'm')), 'cp through the link');
  assert.equal(fs.readFileSync(path.join(out, 'm'), 'utf8'), 'inside\n');
  const r = box.docker('cp', `${name}:/escape${hostMarker}`, path.join(out, 'h'));
  assert.notEqual(r.status, 0, 'the host file is not reachable through /escape');
  assert.match(r.stderr, /Could not find the file/);
  assert.equal(fs.existsSync(path.join(out, 'h')), false);

  // Writing through a link to /etc lands in the container's /etc, not the host's.
  const file = path.join(local, 'planted');
  fs.writeFileSync(file, 'planted\n');
  ok(box.docker('cp', file, `${name}:/srv/etc/`), 'cp in through the link');
  assert.equal(fs.existsSync('/etc/planted'), false, 'nothing written to the host /etc');
  assert.equal(ok(box.docker('exec', name, 'cat', '/etc/planted'), 'cat'), 'planted\n');
  // The whole root of the running container: its rootfs, never the live /proc, /sys or /dev.
  const whole = box.run('sh', ['-c', `${DOCKER} cp ${name}:/ - | tar -t`]);
  assert.equal(whole.status, 0, whole.stderr);
  const listed = whole.stdout.split('\n');
  assert.ok(listed.includes('./bin/busybox') && listed.includes('./marker'), whole.stdout.slice(0, 500));
  assert.ok(listed.includes('./proc/') && listed.includes('./sys/'), 'the mount points themselves are there');
  assert.deepEqual(listed.filter((l) => /^\.\/(proc|sys|dev)\/./.test(l)), [], 'nothing below them');
  ok(box.docker('rm', '-f', name), 'rm');
});

test('docker cp: bad input with dockerd wording', opts, () => {
  ok(box.docker('create', '--name', 'cp-bad', IMAGE, 'true'), 'create');
  const missing = box.docker('cp', 'cp-bad:/no/such/file', path.join(local, 'x'));
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /Could not find the file \/no\/such\/file in container cp-bad/);
  const noCtr = box.docker('cp', 'no-such-ctr:/etc/passwd', path.join(local, 'x'));
  assert.notEqual(noCtr.status, 0);
  assert.match(noCtr.stderr, /No such container: no-such-ctr/);
  ok(box.docker('rm', 'cp-bad'), 'rm');
});

test('docker rename: ps shows the new name, the old one is free, a taken name is 409', opts, () => {
  ok(box.docker('run', '-d', '--name', 'before', IMAGE, 'sleep', '300'), 'run');
  ok(box.docker('create', '--name', 'holder', IMAGE, 'true'), 'create');
  ok(box.docker('rename', 'before', 'after'), 'rename');
  assert.equal(box.docker('ps', '--format', '{{.Names}}').stdout.trim(), 'after');
  assert.equal(box.docker('inspect', '-f', '{{.Name}}', 'after').stdout.trim(), '/after');
  ok(box.docker('create', '--name', 'before', IMAGE, 'true'), 'the old name is free');
  const taken = box.docker('rename', 'after', 'holder');
  assert.notEqual(taken.status, 0);
  assert.match(taken.stderr, /Conflict\. The container name "\/holder" is already in use/);
  const bad = box.docker('rename', 'after', 'no/slash');
  assert.match(bad.stderr, /Invalid container name/);
  ok(box.docker('rm', '-f', 'after', 'before', 'holder'), 'rm');
});

test('docker update --memory writes the live cgroup and the record; restart policy', opts, () => {
  const id = ok(box.docker('run', '-d', '--name', 'upd', IMAGE, 'sleep', '300'), 'run').trim();
  ok(box.docker('update', '--memory', '64m', '--memory-swap', '128m', '--cpu-shares', '512', '--pids-limit', '50', '--restart', 'on-failure:3', 'upd'), 'update');
  const memDir = cgroupDirsOf(id).find((d) => fs.existsSync(path.join(d, 'memory.limit_in_bytes')) || fs.existsSync(path.join(d, 'memory.max')));
  assert.ok(memDir, 'the container has a memory cgroup');
  const limitFile = fs.existsSync(path.join(memDir, 'memory.limit_in_bytes')) ? 'memory.limit_in_bytes' : 'memory.max';
  assert.equal(fs.readFileSync(path.join(memDir, limitFile), 'utf8').trim(), String(64 * 1024 * 1024));
  const pidsDir = cgroupDirsOf(id).find((d) => fs.existsSync(path.join(d, 'pids.max')));
  assert.equal(fs.readFileSync(path.join(pidsDir!, 'pids.max'), 'utf8').trim(), '50');
  assert.equal(
    box.docker('inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.CpuShares}} {{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}', 'upd').stdout.trim(),
    `${64 * 1024 * 1024} ${128 * 1024 * 1024} 512 50 on-failure:3`,
  );
  // Raising both past the old memory+swap works (v1 needs memsw first).
  ok(box.docker('update', '--memory', '256m', '--memory-swap', '512m', 'upd'), 'raise');
  assert.equal(fs.readFileSync(path.join(memDir, limitFile), 'utf8').trim(), String(256 * 1024 * 1024));
  // dockerd's rule: memory above the memory+swap already set needs a new memory+swap.
  const conflict = box.docker('update', '--memory', '1g', 'upd');
  assert.notEqual(conflict.status, 0);
  assert.match(conflict.stderr, /Memory limit should be smaller than already set memoryswap limit/);
  // A stopped container: stored, applied at the next start.
  ok(box.docker('stop', '-t', '0', 'upd'), 'stop');
  ok(box.docker('update', '--memory', '32m', '--memory-swap', '64m', 'upd'), 'update stopped');
  ok(box.docker('start', 'upd'), 'start');
  const after = cgroupDirsOf(id).find((d) => fs.existsSync(path.join(d, limitFile)));
  assert.equal(fs.readFileSync(path.join(after!, limitFile), 'utf8').trim(), String(32 * 1024 * 1024));
  ok(box.docker('rm', '-f', 'upd'), 'rm');
});

test('slipway cp, rename and update: the same operations through slipway\'s own CLI', opts, () => {
  const id = ok(box.slipway('run', '-d', '--name', 'sw', IMAGE, 'sh', '-c', 'mkdir -p /data && echo payload > /data/p && sleep 300'), 'run').trim();
  for (let i = 0; i < 50 && box.slipway('exec', 'sw', 'test', '-f', '/data/p').status !== 0; i++) ok(box.slipway('exec', 'sw', 'sleep', '0.1'), 'wait');
  const here = path.join(local, 'slipway');
  fs.mkdirSync(here);
  makeLocalTree(here);

  // In: a directory to a new name (dockerd's rule: the destination's name), a file, a tar on stdin.
  ok(box.slipway('cp', path.join(here, 'tree'), 'sw:/data/copied'), 'cp dir in, new name');
  ok(box.slipway('cp', path.join(here, 'note.txt'), 'sw:/data'), 'cp file in');
  const tarIn = box.run('sh', ['-c', `tar -C ${here} -cf - note.txt | ${path.join(__dirname, '..', '..', '..', 'bin', 'slipway')} cp - sw:/tmp`]);
  assert.equal(tarIn.status, 0, tarIn.stderr);
  assert.equal(
    ok(box.slipway('exec', 'sw', 'sh', '-c', 'stat -c "%a %n" /data/copied/sub/run.sh /data/note.txt /tmp/note.txt'), 'exec'),
    '751 /data/copied/sub/run.sh\n640 /data/note.txt\n640 /tmp/note.txt\n',
  );

  // Out: a directory's contents ("/."), a file to a new name, a tar on stdout.
  const out = path.join(here, 'out');
  ok(box.slipway('cp', 'sw:/data/.', out), 'cp contents out');
  assert.deepEqual(fs.readdirSync(out).sort(), ['copied', 'note.txt', 'p']);
  assert.equal(fs.readFileSync(path.join(out, 'p'), 'utf8'), 'payload\n');
  ok(box.slipway('cp', 'sw:/data/p', path.join(here, 'p-renamed')), 'cp file out, new name');
  assert.equal(fs.readFileSync(path.join(here, 'p-renamed'), 'utf8'), 'payload\n');
  const tar = box.slipway('cp', 'sw:/data/p', '-');
  assert.equal(tar.status, 0, tar.stderr);
  assert.match(tar.stdout, /^p\0/);
  const missing = box.slipway('cp', 'sw:/nope', out);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /Could not find the file \/nope in container sw/);
  const dirOnFile = box.slipway('cp', path.join(here, 'tree'), 'sw:/data/p');
  assert.notEqual(dirOnFile.status, 0);
  assert.match(dirOnFile.stderr, /cannot copy a directory to a file/);

  // rename and update.
  ok(box.slipway('rename', 'sw', 'sw2'), 'rename');
  assert.equal(box.slipway('inspect', '-f', '{{.Name}}', id).stdout.trim(), '/sw2');
  ok(box.slipway('update', '--pids-limit', '33', '--cpus', '0.5', 'sw2'), 'update');
  const pidsDir = cgroupDirsOf(id).find((d) => fs.existsSync(path.join(d, 'pids.max')));
  assert.equal(fs.readFileSync(path.join(pidsDir!, 'pids.max'), 'utf8').trim(), '33');
  assert.equal(box.slipway('inspect', '-f', '{{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}', 'sw2').stdout.trim(), '500000000 33');
  const bad = box.slipway('update', '--memory', '1k', 'sw2');
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /Minimum memory limit allowed is 6MB/);
  ok(box.slipway('rm', '-f', 'sw2'), 'rm');
});

test('docker cp -a: files go to the container\'s USER; without -a they keep the copier\'s ids', opts, () => {
  ok(box.docker('create', '--name', 'cp-own', '--user', '1234:2345', IMAGE, 'true'), 'create');
  const file = path.join(local, 'owned.txt');
  fs.writeFileSync(file, 'mine\n');
  fs.chmodSync(file, 0o644);
  fs.chownSync(file, 4321, 5432);
  ok(box.docker('cp', '-a', file, 'cp-own:/tmp/'), 'cp -a');
  ok(box.docker('cp', file, 'cp-own:/tmp/plain.txt'), 'cp');
  const listing = (p: string) => box.run('sh', ['-c', `${DOCKER} cp cp-own:${p} - | tar -tv --numeric-owner`]).stdout;
  assert.match(listing('/tmp/owned.txt'), /^-rw-r--r-- 1234\/2345 /);
  assert.match(listing('/tmp/plain.txt'), /^-rw-r--r-- 4321\/5432 /);
  ok(box.docker('rm', 'cp-own'), 'rm');
});

test('docker cp on a stopped container reaches its volumes and binds (read-only ones stay read-only)', opts, () => {
  const bind = path.join(box.dir, 'bind-src');
  const robind = path.join(box.dir, 'ro-src');
  fs.mkdirSync(bind);
  fs.mkdirSync(robind);
  fs.writeFileSync(path.join(robind, 'keep'), 'ro\n');
  ok(box.docker('run', '--name', 'cp-vol', '-v', 'cpvol:/vol', '-v', `${bind}:/bind`, '-v', `${robind}:/ro:ro`, IMAGE, 'sh', '-c', 'echo in-volume > /vol/v'), 'run');
  const file = path.join(local, 'to-volume.txt');
  fs.writeFileSync(file, 'copied while stopped\n');
  ok(box.docker('cp', file, 'cp-vol:/vol/'), 'cp into the volume');
  ok(box.docker('cp', file, 'cp-vol:/bind/'), 'cp into the bind');
  assert.equal(fs.readFileSync(path.join(bind, 'to-volume.txt'), 'utf8'), 'copied while stopped\n', 'the bind source has it');
  const ro = box.docker('cp', file, 'cp-vol:/ro/');
  assert.notEqual(ro.status, 0, 'a read-only bind refuses the copy');
  assert.match(ro.stderr, /mounted volume is marked read-only/);
  assert.equal(fs.existsSync(path.join(robind, 'to-volume.txt')), false);
  const out = path.join(local, 'from-volume');
  ok(box.docker('cp', 'cp-vol:/vol/v', out), 'cp out of the volume');
  assert.equal(fs.readFileSync(out, 'utf8'), 'in-volume\n');
  // The volume itself has the file: a new container mounting it sees it.
  assert.equal(ok(box.docker('run', '--rm', '-v', 'cpvol:/data', IMAGE, 'cat', '/data/to-volume.txt'), 'run again'), 'copied while stopped\n');
  ok(box.docker('rm', '-v', 'cp-vol'), 'rm');
  ok(box.docker('volume', 'rm', 'cpvol'), 'volume rm');
  assert.deepEqual(mountsUnder(box.state), [], 'no archive mount is left');
});

test('docker cp freezes a running container while it copies (as dockerd pauses it), and leaves a paused one paused', opts, async () => {
  const id = ok(box.docker('run', '-d', '--name', 'cp-freeze', IMAGE, 'sleep', '300'), 'run').trim();
  const freezer = cgroupDirsOf(id).map((d) => path.join(d, 'freezer.state')).find((f) => fs.existsSync(f))
    ?? cgroupDirsOf(id).map((d) => path.join(d, 'cgroup.freeze')).find((f) => fs.existsSync(f));
  assert.ok(freezer, 'the container has a freezer');
  const frozen = () => ['FROZEN', '1'].includes(fs.readFileSync(freezer, 'utf8').trim());
  const file = path.join(local, 'slow.txt');
  fs.writeFileSync(file, 'slow\n');
  const tar = spawnSync('tar', ['-C', local, '-cf', '-', 'slow.txt']).stdout;
  // A PUT whose body arrives slowly: the container is frozen until it is done.
  const cp = spawn(DOCKER, ['cp', '-', 'cp-freeze:/tmp'], { env: box.env, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  cp.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((r) => cp.on('close', r));
  cp.stdin.write(tar.subarray(0, 512));
  await until('the container to be frozen during the copy', () => frozen(), 10_000);
  cp.stdin.end(tar.subarray(512));
  assert.equal(await exited, 0, stderr);
  assert.equal(frozen(), false, 'thawed after the copy');
  assert.equal(box.docker('inspect', '-f', '{{.State.Status}}', 'cp-freeze').stdout.trim(), 'running');
  assert.equal(ok(box.docker('exec', 'cp-freeze', 'cat', '/tmp/slow.txt'), 'exec'), 'slow\n');

  ok(box.docker('pause', 'cp-freeze'), 'pause');
  ok(box.docker('cp', 'cp-freeze:/tmp/slow.txt', path.join(local, 'slow-out')), 'cp out of a paused container');
  assert.equal(fs.readFileSync(path.join(local, 'slow-out'), 'utf8'), 'slow\n');
  assert.equal(frozen(), true, 'still paused');
  assert.equal(box.docker('inspect', '-f', '{{.State.Status}}', 'cp-freeze').stdout.trim(), 'paused');
  ok(box.docker('rm', '-f', 'cp-freeze'), 'rm');
});

test('docker cp into a --read-only container: refused on the rootfs, allowed into a volume', opts, () => {
  ok(box.docker('create', '--name', 'cp-ro', '--read-only', '-v', 'rovol:/vol', IMAGE, 'true'), 'create');
  const file = path.join(local, 'ro.txt');
  fs.writeFileSync(file, 'ro\n');
  const refused = box.docker('cp', file, 'cp-ro:/tmp/');
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /container rootfs is marked read-only/);
  ok(box.docker('cp', file, 'cp-ro:/vol/'), 'cp into the volume');
  assert.equal(ok(box.docker('run', '--rm', '-v', 'rovol:/v', IMAGE, 'cat', '/v/ro.txt'), 'read back'), 'ro\n');
  ok(box.docker('rm', '-v', 'cp-ro'), 'rm');
  ok(box.docker('volume', 'rm', 'rovol'), 'volume rm');
});

test('cp of a symlink: the link itself, or with -L what it points to (docker and slipway)', opts, () => {
  ok(box.docker('run', '-d', '--name', 'cp-link', IMAGE, 'sh', '-c', 'echo target > /t && ln -s /t /link && sleep 300'), 'run');
  for (let i = 0; i < 50 && box.docker('exec', 'cp-link', 'test', '-L', '/link').status !== 0; i++) ok(box.docker('exec', 'cp-link', 'sleep', '0.1'), 'wait');
  for (const [cli, run] of [['docker', box.docker], ['slipway', box.slipway]] as const) {
    const plain = path.join(local, `${cli}-link`);
    const followed = path.join(local, `${cli}-followed`);
    ok(run('cp', 'cp-link:/link', plain), `${cli} cp`);
    assert.equal(fs.readlinkSync(plain), '/t', `${cli}: the link itself`);
    ok(run('cp', '-L', 'cp-link:/link', followed), `${cli} cp -L`);
    assert.equal(fs.lstatSync(followed).isFile(), true);
    assert.equal(fs.readFileSync(followed, 'utf8'), 'target\n');
  }
  ok(box.docker('rm', '-f', 'cp-link'), 'rm');
});
