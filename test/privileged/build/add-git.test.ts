// ADD <git ref> against real git servers on 127.0.0.1 (git daemon for git://, git http-backend
// for http://…git), through the real builder (see harness.ts): what lands in the image, the
// cache key following the remote commit, --checksum, and located errors that leave nothing
// behind and print no credentials. Needs root, git and `npm run build`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { requires } from '../../helpers/tiers';
import { freePort, git, gitMissing, startGitServers, type GitServers } from '../../helpers/git-server';
import type { ImageRecord } from '../../../runtime/image';
import { BASE, bench, stepEnds, type Bench } from './harness';

describe('ADD from a git repository', requires(gitMissing()), () => {
  let b: Bench;
  let servers: GitServers;
  let work: string;
  let first: string;
  before(async () => {
    b = await bench();
    servers = await startGitServers(path.join(b.dir, 'git'));
    work = servers.repo('app', { 'README.md': 'hello\n', 'run.sh': '#!/bin/sh\necho run\n', 'docs/guide.md': 'guide\n', 'docs/deep/x.txt': 'x\n' });
    fs.symlinkSync('README.md', path.join(work, 'link'));
    first = servers.commit(work, {}, 'symlink');
    git(work, 'tag', '-a', '-m', 'release', 'v1');
    git(work, 'checkout', '-q', '-b', 'dev');
    servers.commit(work, { 'dev.txt': 'dev\n' }, 'dev work');
    git(work, 'push', '-q', 'origin', 'dev', 'v1');
    git(work, 'checkout', '-q', 'main');
  });
  after(async () => {
    await servers.close();
    await b.cleanup();
  });

  const build = async (dockerfile: string, tags?: string[]) => b.build(b.context({ Dockerfile: `FROM ${BASE}\n${dockerfile}` }), tags ? { tags } : {});
  const ok = async (dockerfile: string): Promise<ImageRecord> => {
    const r = await build(dockerfile);
    assert.ifError(r.error);
    return r.image!;
  };
  const buildTmpEmpty = () => assert.deepEqual(fs.readdirSync(path.join(b.state, 'build-tmp')), [], 'no build dir, clone or mount is left behind');

  test('git:// default branch: files owned by root, 0644/0755, symlinks kept, no .git, checkout time', async () => {
    const started = Math.floor(Date.now() / 1000) - 1;
    const i = await ok(`ADD ${servers.gitUrl}app.git /src`);
    assert.equal(await b.read(i, 'src/README.md'), 'hello\n');
    assert.equal(await b.read(i, 'src/docs/deep/x.txt'), 'x\n');
    const modes = await Promise.all(['src/README.md', 'src/run.sh', 'src/docs'].map(async (p) => (await b.stat(i, p))!.mode & 0o7777));
    assert.deepEqual(modes, [0o644, 0o755, 0o755]);
    const st = (await b.stat(i, 'src/run.sh'))!;
    assert.deepEqual([st.uid, st.gid], [0, 0]);
    assert.ok((await b.stat(i, 'src/link'))?.isSymbolicLink());
    assert.equal(await b.stat(i, 'src/.git'), undefined);
    assert.equal(await b.stat(i, 'src/dev.txt'), undefined, 'main, not dev');
    assert.ok(st.mtimeMs / 1000 >= started, 'files carry the time of the checkout, as BuildKit leaves them');
    buildTmpEmpty();
  });

  test('#<annotated tag>:<subdir> copies only that directory of that tag', async () => {
    const i = await ok(`ADD ${servers.gitUrl}app.git#v1:docs /guide/`);
    assert.equal(await b.read(i, 'guide/guide.md'), 'guide\n');
    assert.equal(await b.read(i, 'guide/deep/x.txt'), 'x\n');
    assert.equal(await b.stat(i, 'guide/README.md'), undefined);
  });

  test('http:// smart protocol, #dev, --keep-git-dir: .git at the ref, origin without credentials', async () => {
    const url = servers.httpUrl.replace('http://', 'http://user:s3cret-pw@') + 'app.git#dev';
    const i = await ok(`ADD --keep-git-dir=true ${url} /kept`);
    assert.equal(await b.read(i, 'kept/dev.txt'), 'dev\n');
    assert.ok((await b.stat(i, 'kept/.git'))?.isDirectory(), 'the .git directory is kept');
    const out = path.join(b.dir, 'kept-export');
    fs.mkdirSync(out);
    const { dirs } = await b.store.lowerDirs(i.id);
    // The .git directory is whole in the ADD's own layer (the topmost).
    execFileSync('cp', ['-a', `${dirs[0]}/kept/.`, out]);
    assert.equal(git(out, 'rev-parse', 'HEAD'), git(work, 'rev-parse', 'dev'));
    assert.equal(git(out, 'remote', 'get-url', 'origin'), servers.httpUrl.replace('http://', 'http://user:xxxxx@') + 'app.git');
  });

  test('the query form ?ref=&subdir= and ?mtime=commit (every file at the commit time)', async () => {
    const i = await ok(`ADD ${servers.gitUrl}app.git?ref=v1&subdir=docs&mtime=commit /q/`);
    assert.equal(await b.read(i, 'q/guide.md'), 'guide\n');
    const commitTime = Number(git(work, 'log', '-1', '--format=%ct', 'v1^{commit}'));
    assert.equal(Math.floor((await b.stat(i, 'q/guide.md'))!.mtimeMs / 1000), commitTime);
  });

  test('--exclude applies inside the repository', async () => {
    const i = await ok(`ADD --exclude=docs/deep --exclude=*.sh ${servers.gitUrl}app.git /ex/`);
    assert.equal(await b.read(i, 'ex/docs/guide.md'), 'guide\n');
    assert.equal(await b.stat(i, 'ex/docs/deep'), undefined);
    assert.equal(await b.stat(i, 'ex/run.sh'), undefined);
  });

  test('--checksum: a commit prefix passes, another commit fails at the ADD line', async () => {
    await ok(`ADD --checksum=${first.slice(0, 10)} ${servers.gitUrl}app.git#v1 /ck`);
    const r = await build(`RUN true\nADD --checksum=0000000 ${servers.gitUrl}app.git#main /ck`);
    assert.match(r.error?.message ?? '', new RegExp(`Dockerfile:3: git checksum mismatch for ${servers.gitUrl}app\\.git#main: expected a commit starting with 0000000, got ${first}`));
    buildTmpEmpty();
  });

  test('the cache follows the remote: same commit hits, a new commit misses and names it', async () => {
    const repo = servers.repo('moving', { 'v.txt': '1\n' });
    // One context (one Dockerfile path): the miss reason compares with the last build of this step.
    const ctx = b.context({ Dockerfile: `FROM ${BASE}\nADD ${servers.gitUrl}moving.git /m/` });
    const again = () => b.build(ctx, { tags: ['moving:1'] });
    const one = await again();
    assert.ifError(one.error);
    const two = await again();
    assert.ifError(two.error);
    assert.deepEqual(stepEnds(two.events).map((e) => e.cached), [true]);
    assert.equal(two.image!.id, one.image!.id);
    const before = git(repo, 'rev-parse', 'HEAD');
    const after = servers.commit(repo, { 'v.txt': '2\n' });
    const three = await again();
    assert.ifError(three.error);
    const end = stepEnds(three.events)[0]!;
    assert.equal(end.cached, false);
    assert.equal(end.cacheMiss, `ADD: ${servers.gitUrl}moving.git now at commit ${after.slice(0, 12)} (was ${before.slice(0, 12)})`);
    assert.equal(await b.read(three.image!, 'm/v.txt'), '2\n');
  });

  test('submodules (relative URL) are fetched, without their .git; ?submodules=false leaves them empty', async () => {
    servers.repo('lib', { 'lib.txt': 'lib\n' });
    const outer = servers.repo('outer', { 'main.txt': 'main\n' });
    git(outer, 'submodule', '-q', 'add', '../lib.git', 'vendor/lib');
    servers.commit(outer, {}, 'add submodule');
    const i = await ok(`ADD ${servers.gitUrl}outer.git /o/\nADD ${servers.gitUrl}outer.git?submodules=false /n/`);
    assert.equal(await b.read(i, 'o/vendor/lib/lib.txt'), 'lib\n');
    assert.equal(await b.stat(i, 'o/vendor/lib/.git'), undefined);
    assert.ok((await b.stat(i, 'n/vendor/lib'))?.isDirectory());
    assert.equal(await b.stat(i, 'n/vendor/lib/lib.txt'), undefined);
  });

  test('ADD --link <git ref>: the layer is reused when an earlier step changes', async () => {
    const ctx = b.context({});
    const ends = [];
    for (const earlier of ['1', '2']) {
      fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${BASE}\nRUN echo ${earlier} > /e\nADD --link ${servers.gitUrl}app.git#v1 /linked/`);
      const r = await b.build(ctx);
      assert.ifError(r.error);
      assert.equal(await b.read(r.image!, 'linked/README.md'), 'hello\n');
      ends.push(stepEnds(r.events));
    }
    assert.deepEqual(ends[1]!.map((e) => e.cached), [false, true]);
    assert.equal(ends[1]![1]!.layer!.digest, ends[0]![1]!.layer!.digest);
  });

  test('ssh:// and git@host: addresses go through ssh (a stand-in ssh running git-upload-pack here)', async () => {
    // git runs `$GIT_SSH_COMMAND [options] host "git-upload-pack '/path'"`: the stand-in runs that last argument locally.
    const fakeSsh = path.join(b.dir, 'fake-ssh');
    fs.writeFileSync(fakeSsh, '#!/bin/sh\nfor last; do :; done\nexec sh -c "$last"\n', { mode: 0o755 });
    const bare = path.join(b.dir, 'git', 'repos', 'app.git');
    const saved = process.env.GIT_SSH_COMMAND;
    process.env.GIT_SSH_COMMAND = fakeSsh;
    try {
      const i = await ok(`ADD ssh://git@127.0.0.1${bare}#v1:docs /s1/\nADD git@127.0.0.1:${bare}#dev /s2/`);
      assert.equal(await b.read(i, 's1/guide.md'), 'guide\n');
      assert.equal(await b.read(i, 's2/dev.txt'), 'dev\n');
    } finally {
      if (saved === undefined) delete process.env.GIT_SSH_COMMAND;
      else process.env.GIT_SSH_COMMAND = saved;
    }
  });

  test('#<full commit SHA>: fetched by its SHA (no ls-remote), keyed by it', async () => {
    const i = await ok(`ADD ${servers.gitUrl}app.git#${first} /sha/`);
    assert.equal(await b.read(i, 'sha/README.md'), 'hello\n');
    assert.equal(await b.stat(i, 'sha/dev.txt'), undefined);
  });

  const failures: Array<[string, () => string, RegExp]> = [
    ['a ref the repository does not have', () => `${servers.gitUrl}app.git#no-such-branch`, /Dockerfile:2: the git repository git:\/\/127\.0\.0\.1:\d+\/app\.git has no branch or tag "no-such-branch"/],
    ['a repository the server does not have', () => `${servers.httpUrl}missing.git`, /Dockerfile:2: cannot reach the git repository http:\/\/127\.0\.0\.1:\d+\/missing\.git: /],
    ['a subdir the commit does not have', () => `${servers.gitUrl}app.git#main:nope`, /Dockerfile:2: .*has no directory "nope" at refs\/heads\/main/],
    ['a short commit SHA as the ref', () => `${servers.gitUrl}app.git#${first.slice(0, 7)}`, /has no branch or tag "[0-9a-f]{7}" \(a commit must be named by its full SHA\)/],
  ];
  for (const [name, url, re] of failures) {
    test(`located error: ${name}`, async () => {
      const r = await build(`ADD ${url()} /x`);
      assert.match(r.error?.message ?? '', re);
      const event = r.events.find((e) => e.type === 'build-error');
      assert.equal(event?.type === 'build-error' ? event.range?.start.line : undefined, 1);
      buildTmpEmpty();
    });
  }

  test('an unreachable server with credentials: the error names the URL and never the password', async () => {
    const port = await freePort();
    const r = await build(`ADD http://bob:hunter22@127.0.0.1:${port}/repo.git#main /x`);
    const text = `${r.error?.message}\n${JSON.stringify(r.events)}`.replace(/ADD http:\/\/bob:hunter22@[^ ]+ \/x/g, '<instruction as written>');
    assert.match(r.error?.message ?? '', new RegExp(`Dockerfile:2: cannot reach the git repository http://bob:xxxxx@127\\.0\\.0\\.1:${port}/repo\\.git`));
    assert.ok(!text.includes('hunter22'), text);
    buildTmpEmpty();
  });
});
