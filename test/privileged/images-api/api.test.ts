// The image API and CLI end to end: a real service (dist/service.js via bin/slipway) on a temp
// SLIPWAY_ROOT/SLIPWAY_SOCKET, driven by `slipway` and by the stock docker CLI; third-party
// referees (skopeo, umoci) read a saved OCI archive; kill -9 of the service mid-build.
// Needs root and `npm run build`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import tarStream from 'tar-stream';
import { privileged, requires } from '../../helpers/tiers';
import { mountsUnder } from '../../helpers/mounts';
import { makeBusyboxRootfs } from '../../helpers/rootfs';

const repo = path.resolve(__dirname, '..', '..', '..');
const SLIPWAY = path.join(repo, 'bin', 'slipway');
const DOCKER = '/usr/local/bin/docker';
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

interface Box { dir: string; env: NodeJS.ProcessEnv; run(cmd: string, args: string[], input?: string): SpawnSyncReturns<string>; servicePid(): number | undefined }

function sandbox(): Box {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-images-api-'));
  const env = { ...process.env, SLIPWAY_ROOT: path.join(dir, 'state'), SLIPWAY_SOCKET: path.join(dir, 'slipway.sock'), DOCKER_HOST: `unix://${path.join(dir, 'slipway.sock')}`, DOCKER_CONFIG: path.join(dir, 'docker'), DOCKER_BUILDKIT: '0' };
  return {
    dir, env,
    run: (cmd, args, input) => spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 60_000, input, cwd: dir }),
    servicePid() {
      try {
        const pid = JSON.parse(fs.readFileSync(path.join(dir, 'state', 'service.lock'), 'utf8')).pid as number;
        process.kill(pid, 0);
        return pid;
      } catch { return undefined; }
    },
  };
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}


describe('image API and CLI', privileged, () => {
  let box: Box;
  const slipway = (...args: string[]) => box.run(SLIPWAY, args);
  const suiteStart = Math.floor(Date.now() / 1000) - 1;
  before(() => {
    box = sandbox();
    const rootfs = makeBusyboxRootfs(path.join(box.dir, 'rootfs')).path;
    spawnSync('tar', ['-C', rootfs, '--numeric-owner', '-cf', path.join(box.dir, 'base.tar'), '.']);
    ok(slipway('service', 'start'), 'service start');
    ok(slipway('import', '--change', 'CMD ["/bin/sh"]', '-m', 'test base', path.join(box.dir, 'base.tar'), 'base:1'), 'import');
    const ctx = path.join(box.dir, 'app');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM base:1\nWORKDIR /app\nCOPY hello.txt .\nRUN echo built > /app/built.txt && rm /etc/os-release\nCMD ["cat", "/app/hello.txt"]\n');
    fs.writeFileSync(path.join(ctx, 'hello.txt'), 'hello\n');
  });
  after(() => {
    const pid = box.servicePid();
    if (pid) process.kill(pid, 'SIGKILL');
    assert.deepEqual(mountsUnder(box.dir), [], 'no mount left');
    fs.rmSync(box.dir, { recursive: true, force: true });
  });

  test('slipway build shows steps, layer counts and RUN output; images and history list it', () => {
    const out = ok(slipway('build', '-t', 'app:1', '-t', 'app:latest', path.join(box.dir, 'app')), 'build');
    assert.match(out, /\[0 3\/4\] RUN echo built/);
    assert.match(out, /layer .* \(\+1 ~\d+ -1\)/, 'the RUN layer adds one file and deletes one');
    assert.match(out, /Tagged app:1\nTagged app:latest/);
    const images = ok(slipway('images'), 'images');
    assert.match(images, /^app\s+1\s+[0-9a-f]{12}/m);
    assert.match(images, /^base\s+1\s+/m);
    const history = ok(slipway('history', 'app:1'), 'history');
    assert.match(history, /COPY hello\.txt \. # buildkit/);
    assert.match(history, /test base/);
    const layers = ok(slipway('layers', 'app:1'), 'layers');
    assert.match(layers, /D \/etc\/os-release/);
    assert.match(layers, /A \/app\/built\.txt/);
    // Each built layer names its Dockerfile line; the imported base has none.
    assert.match(layers, /\+\d+ ~\d+ -1 {2}Dockerfile:4 {2}RUN /);
    assert.match(layers, /Dockerfile:3 {2}COPY hello\.txt \./);
    const failing = path.join(box.dir, 'failing-cli');
    fs.mkdirSync(failing);
    fs.writeFileSync(path.join(failing, 'Dockerfile'), 'FROM base:1\nRUN exit 5\n');
    const bad = slipway('build', '-t', 'bad-cli:1', failing);
    assert.notEqual(bad.status, 0);
    // The location once, as the user names the file: not "Dockerfile:2: /abs/Dockerfile:2: …".
    assert.match(bad.stderr, /^ERROR: Dockerfile:2: process "\/bin\/sh -c exit 5" did not complete successfully: exit code: 5$/m);
    assert.equal(bad.stderr.split('Dockerfile:2').length - 1, 1, bad.stderr);
  });

  test('a build publishes an image "tag" event per tag (the editor\'s Images tree refreshes on it)', async () => {
    // The events ring of the running service, from the start of this suite until now.
    const query = new URLSearchParams({ since: String(suiteStart), until: String(Math.ceil(Date.now() / 1000) + 1), filters: JSON.stringify({ type: ['image'], event: ['tag'] }) });
    const text = await new Promise<string>((resolve, reject) => {
      http.get({ socketPath: path.join(box.dir, 'slipway.sock'), path: `/events?${query}` }, (res) => {
        let body = '';
        res.on('data', (c) => { body += c; });
        res.on('end', () => resolve(body));
      }).on('error', reject);
    });
    const names = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { Actor: { Attributes: { name: string } } }).map((e) => e.Actor.Attributes.name);
    assert.ok(names.includes('app:1') && names.includes('app:latest'), `tag events for both tags, got ${JSON.stringify(names)}`);
  });

  test('the stock docker CLI: DOCKER_BUILDKIT=0 docker build, images, inspect, tag, rmi', requires(has(DOCKER) ? undefined : `${DOCKER} is missing`), () => {
    const out = ok(box.run(DOCKER, ['build', '-t', 'viadocker:1', path.join(box.dir, 'app')]), 'docker build');
    // Docker counts FROM as step 1 and prints the base image's ID under it.
    assert.match(out, /Step 1\/5 : FROM base:1\n ---> [0-9a-f]{12}\nStep 2\/5 : WORKDIR \/app/);
    assert.match(out, /Successfully built [0-9a-f]{12}/);
    assert.match(out, /Successfully tagged viadocker:1/);
    assert.match(ok(box.run(DOCKER, ['images']), 'docker images'), /^viadocker\s+1\s+/m);
    const inspect = JSON.parse(ok(box.run(DOCKER, ['image', 'inspect', 'viadocker:1']), 'docker inspect'));
    assert.deepEqual(inspect[0].Config.Cmd, ['cat', '/app/hello.txt']);
    ok(box.run(DOCKER, ['tag', 'viadocker:1', 'viadocker:2']), 'docker tag');
    assert.match(ok(box.run(DOCKER, ['rmi', 'viadocker:2']), 'docker rmi'), /Untagged: viadocker:2/);
    const failing = path.join(box.dir, 'failing');
    fs.mkdirSync(failing);
    fs.writeFileSync(path.join(failing, 'Dockerfile'), 'FROM base:1\nRUN exit 7\n');
    const bad = box.run(DOCKER, ['build', '-t', 'bad:1', failing]);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr + bad.stdout, /exit code: 7/);
    // The user's Dockerfile and line, once; never the service's temp copy of the context.
    assert.match(bad.stderr, /Dockerfile:2: process "\/bin\/sh -c exit 7" did not complete successfully/);
    assert.doesNotMatch(bad.stderr + bad.stdout, /build-tmp|ctx-[0-9a-f]/);
    fs.writeFileSync(path.join(failing, 'Dockerfile'), 'FROM base:1\nCOPY nothere.txt /x\n');
    const missing = box.run(DOCKER, ['build', failing]);
    assert.match(missing.stderr, /Dockerfile:2: "nothere\.txt" not found in the build context/);
    assert.doesNotMatch(missing.stderr + missing.stdout, /build-tmp|ctx-[0-9a-f]/, 'paths inside the uploaded context are said relative to it');
    // Successfully tagged lists this build's -t names only, not every name the image has.
    const retag = ok(box.run(DOCKER, ['build', '-t', 'viadocker:3', path.join(box.dir, 'app')]), 'docker build again');
    assert.match(retag, /Successfully tagged viadocker:3\n/);
    assert.doesNotMatch(retag, /Successfully tagged (viadocker:1|app:)/);
    assert.doesNotMatch(ok(box.run(DOCKER, ['images']), 'docker images'), /^bad\s/m);
  });

  test('save (OCI) is read by skopeo and unpacked by umoci into the same tree', requires(has('skopeo') && has('umoci') ? undefined : 'skopeo and umoci are required'), () => {
    const archive = path.join(box.dir, 'app-oci.tar');
    ok(slipway('save', '--format', 'oci', '-o', archive, 'app:1'), 'save');
    const inspect = JSON.parse(ok(box.run('skopeo', ['inspect', `oci-archive:${archive}`]), 'skopeo inspect'));
    assert.equal(inspect.Layers.length, 4);
    const layout = path.join(box.dir, 'layout');
    fs.mkdirSync(layout);
    ok(box.run('tar', ['-C', layout, '-xf', archive]), 'untar');
    const index = JSON.parse(fs.readFileSync(path.join(layout, 'index.json'), 'utf8'));
    const tag = index.manifests[0].annotations['org.opencontainers.image.ref.name'];
    const bundle = path.join(box.dir, 'bundle');
    ok(box.run('umoci', ['unpack', '--image', `${layout}:${tag}`, bundle]), 'umoci unpack');
    const rootfs = path.join(bundle, 'rootfs');
    assert.equal(fs.readFileSync(path.join(rootfs, 'app/hello.txt'), 'utf8'), 'hello\n');
    assert.equal(fs.readFileSync(path.join(rootfs, 'app/built.txt'), 'utf8'), 'built\n');
    assert.ok(!fs.existsSync(path.join(rootfs, 'etc/os-release')), 'the RUN deletion (a whiteout) is applied');
    assert.ok(fs.lstatSync(path.join(rootfs, 'bin/sh')).isSymbolicLink());
  });

  test('save (docker) and load round trip', () => {
    const archive = path.join(box.dir, 'app-docker.tar');
    ok(slipway('save', '-o', archive, 'app:1'), 'save');
    ok(slipway('rmi', 'app:latest'), 'rmi app:latest');
    ok(slipway('rmi', 'app:1'), 'rmi app:1');
    assert.doesNotMatch(ok(slipway('images'), 'images'), /^app\s/m);
    assert.match(ok(slipway('load', '-i', archive), 'load'), /Loaded image: app:1/);
    assert.match(ok(slipway('images'), 'images'), /^app\s+1\s/m);
  });

  test('kill -9 of the service mid-build: images and the next build still work', async () => {
    const ctx = path.join(box.dir, 'slow');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM base:1\nCOPY Dockerfile /d\nRUN echo started; sleep 2; echo done > /done\n');
    const child = spawn(SLIPWAY, ['build', '-t', 'slow:1', ctx], { env: box.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    const until = Date.now() + 20_000;
    while (!out.includes('started') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.match(out, /started/, 'the RUN step began');
    const pid = box.servicePid();
    assert.ok(pid);
    process.kill(pid, 'SIGKILL');
    const code = await new Promise((r) => child.on('close', r));
    assert.notEqual(code, 0);
    assert.match(err, /connection to the slipway service was lost during the build/, 'not a bare "aborted"');
    await new Promise((r) => setTimeout(r, 2500)); // the orphaned RUN's sleep ends
    // `slipway images` starts a new service, whose start-up sweeps the interrupted build.
    const images = ok(slipway('images'), 'images after kill -9');
    assert.doesNotMatch(images, /^slow\s/m, 'nothing half-built is tagged');
    assert.deepEqual(mountsUnder(path.join(box.dir, 'state')), [], 'the sweep unmounted what the build left');
    const again = ok(slipway('build', '-t', 'slow:1', ctx), 'the next build');
    assert.match(again, /Tagged slow:1/);
  });

  test('diff, commit and export of a container; rmi refuses an image a container uses', requires(has(DOCKER) ? undefined : `${DOCKER} is missing`), () => {
    ok(box.run(DOCKER, ['run', '--name', 'changer', 'base:1', 'sh', '-c', 'echo x > /newfile; rm /etc/group; echo y >> /etc/passwd']), 'docker run');
    try {
      const diff = ok(slipway('diff', 'changer'), 'diff');
      for (const line of ['A /newfile', 'D /etc/group', 'C /etc/passwd']) assert.ok(diff.split('\n').includes(line), `${line} in:\n${diff}`);
      assert.equal(ok(box.run(DOCKER, ['diff', 'changer']), 'docker diff'), diff, 'the stock CLI reads the same changes');
      const rmi = slipway('rmi', 'base:1');
      assert.notEqual(rmi.status, 0);
      assert.match(rmi.stderr, /is used by a container|must be forced/);
      const id = ok(slipway('commit', '-m', 'committed', '-c', 'CMD ["cat", "/newfile"]', 'changer', 'committed:1'), 'commit').trim();
      assert.match(id, /^sha256:[0-9a-f]{64}$/);
      const inspect = JSON.parse(ok(slipway('image', 'inspect', 'committed:1'), 'inspect'));
      assert.deepEqual(inspect[0].Config.Cmd, ['cat', '/newfile']);
      assert.match(ok(slipway('layers', 'committed:1'), 'layers'), /A \/newfile/);
      const tar = path.join(box.dir, 'export.tar');
      ok(slipway('export', '-o', tar, 'changer'), 'export');
      const names = ok(box.run('tar', ['-tf', tar]), 'tar -t').split('\n');
      assert.ok(names.includes('newfile'));
      assert.ok(!names.includes('etc/group'), 'the deleted file is not exported');
      assert.deepEqual(mountsUnder(box.dir), [], 'the export mount is gone');
    } finally {
      box.run(DOCKER, ['rm', '-f', 'changer']);
    }
  });

  test('POST /build refuses a context tar that climbs out, and writes nothing outside', async () => {
    const pack = tarStream.pack();
    pack.entry({ name: 'Dockerfile' }, 'FROM base:1\n');
    pack.entry({ name: '../../slipway-escaped-by-context.txt' }, 'evil');
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const c of pack) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request({ socketPath: path.join(box.dir, 'slipway.sock'), method: 'POST', path: '/build?t=escape:1', headers: { 'Content-Type': 'application/x-tar', 'Content-Length': body.length } }, (res) => {
        let text = '';
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
    assert.ok(answer.status >= 400, `refused with an error status: ${answer.status} ${answer.text}`);
    assert.match(answer.text, /\.\./);
    const state = path.join(box.dir, 'state');
    for (const dir of [state, path.dirname(state), box.dir, os.tmpdir()]) assert.ok(!fs.existsSync(path.join(dir, 'slipway-escaped-by-context.txt')), `nothing written in ${dir}`);
    assert.doesNotMatch(ok(slipway('images'), 'images'), /^escape\s/m);
  });

  test('system df and image prune', () => {
    assert.match(ok(slipway('system', 'df'), 'system df'), /^Images\s+\d+/m);
    assert.match(ok(slipway('image', 'prune'), 'image prune'), /Total reclaimed space/);
  });
});
