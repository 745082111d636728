// COPY --link on the real kernel (see harness.ts): the layer is made in an empty tree, so its
// cache key and digest do not depend on the layers below it, and it is stacked on them as is
// (destination directories never follow the image's symlinks). Needs root and `npm run build`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { privileged } from '../../helpers/tiers';
import { BASE, bench, stepEnds, type Bench } from './harness';

describe('COPY --link', privileged, () => {
  let b: Bench;
  before(async () => { b = await bench(); });
  after(async () => { await b.cleanup(); });

  test('the layer digest is the same over different earlier layers; the image tree is right', async () => {
    const ctx = b.context({ 'app/main.txt': 'main\n', 'app/lib/util.txt': 'util\n' });
    const dockerfile = (earlier: string) => `FROM ${BASE}\nRUN echo ${earlier} > /earlier.txt\nCOPY --link app/ /opt/app/\nRUN ls -R /opt/app > /listing.txt`;
    const results = [];
    for (const earlier of ['one', 'two']) {
      fs.writeFileSync(path.join(ctx, 'Dockerfile'), dockerfile(earlier));
      const r = await b.build(ctx);
      assert.ifError(r.error);
      results.push(r);
    }
    const [one, two] = results.map((r) => stepEnds(r.events));
    assert.deepEqual(two!.map((e) => e.cached), [false, true, false], 'the RUN before changed, the --link step is still a hit, the RUN after it runs again');
    assert.equal(two![1]!.layer!.digest, one![1]!.layer!.digest, 'same layer digest');
    assert.notEqual(two![0]!.layer!.digest, one![0]!.layer!.digest);
    // Rebuilt from nothing (--no-cache) over yet another earlier layer: still the same bytes.
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), dockerfile('three'));
    const three = await b.build(ctx, { noCache: true });
    assert.ifError(three.error);
    assert.equal(stepEnds(three.events)[1]!.layer!.digest, one![1]!.layer!.digest, 'same layer digest without the cache');
    const image = results[1]!.image!;
    assert.equal(await b.read(image, 'earlier.txt'), 'two\n');
    assert.equal(await b.read(image, 'opt/app/main.txt'), 'main\n');
    assert.equal(await b.read(image, 'opt/app/lib/util.txt'), 'util\n');
    assert.match((await b.read(image, 'listing.txt')) ?? '', /main\.txt[\s\S]*util\.txt/, 'a RUN after the --link layer sees its files');
    // The layer holds only what the COPY made: the destination's parents and the files.
    const paths = (two![1]!.layer!.changes ?? []).map((c) => c.path).sort();
    assert.deepEqual(paths, ['/opt', '/opt/app', '/opt/app/lib', '/opt/app/lib/util.txt', '/opt/app/main.txt']);
  });

  test('COPY --link --from=<stage>: reused when the final stage changes before it, keeping the stage\'s owners', async () => {
    const ctx = b.context({});
    const ends = [];
    for (const earlier of ['x', 'y']) {
      fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${BASE} AS build\nRUN mkdir /out && echo built > /out/app && chown 1000:50 /out/app\nFROM ${BASE}\nRUN echo ${earlier} > /e\nCOPY --link --from=build /out /app`);
      const r = await b.build(ctx);
      assert.ifError(r.error);
      assert.equal(await b.read(r.image!, 'app/app'), 'built\n');
      const st = (await b.stat(r.image!, 'app/app'))!;
      assert.deepEqual([st.uid, st.gid], [1000, 50]);
      ends.push(stepEnds(r.events));
    }
    assert.deepEqual(ends[1]!.map((e) => e.cached), [true, false, true]);
    assert.equal(ends[1]![2]!.layer!.digest, ends[0]![2]!.layer!.digest);
  });

  test('a symlink on the destination path is not followed: the path becomes directories', async () => {
    const ctx = b.context({
      'f.txt': 'F\n',
      Dockerfile: `FROM ${BASE}\nRUN mkdir /srv && ln -s /srv /data\nCOPY f.txt /data/plain.txt\nCOPY --link f.txt /data/linked.txt`,
    });
    const r = await b.build(ctx);
    assert.ifError(r.error);
    const image = r.image!;
    assert.ok((await b.stat(image, 'data'))?.isDirectory(), '/data is a directory in the final image');
    assert.equal(await b.read(image, 'data/linked.txt'), 'F\n');
    assert.equal(await b.read(image, 'srv/plain.txt'), 'F\n', 'the plain COPY went through the symlink');
    assert.equal(await b.stat(image, 'srv/linked.txt'), undefined);
  });

  test('--chown with numeric ids (or root) owns the files and the directories it creates', async () => {
    const r = await b.build(b.context({ 'f.txt': 'F\n', Dockerfile: `FROM ${BASE}\nCOPY --link --chown=1234:50 f.txt /owned/dir/\nCOPY --link --chown=root:root f.txt /root-owned` }));
    assert.ifError(r.error);
    const rootOwned = (await b.stat(r.image!, 'root-owned'))!;
    assert.deepEqual([rootOwned.uid, rootOwned.gid], [0, 0], '"root" needs no /etc/passwd');
    assert.match(r.image!.config.history!.at(-1)!.created_by ?? '', /^COPY --chown=root:root f\.txt \/root-owned/, 'the history shows --chown as written');
    const file = (await b.stat(r.image!, 'owned/dir/f.txt'))!;
    const dir = (await b.stat(r.image!, 'owned/dir'))!;
    assert.deepEqual([file.uid, file.gid, dir.uid, dir.gid, dir.mode & 0o7777], [1234, 50, 1234, 50, 0o755]);
  });

  test('a file over an existing one is a "modified" change of the layer', async () => {
    const r = await b.build(b.context({ 'x.txt': 'new\n', Dockerfile: `FROM ${BASE}\nRUN echo old > /x.txt\nCOPY --link x.txt /x.txt` }));
    assert.ifError(r.error);
    const change = stepEnds(r.events)[1]!.layer!.changes!.find((c) => c.path === '/x.txt');
    assert.equal(change?.kind, 'modified');
    assert.equal(await b.read(r.image!, 'x.txt'), 'new\n');
  });

  test('with --chmod there is no link (as BuildKit): the step follows the earlier layers', async () => {
    const ctx = b.context({ 'f.txt': 'F\n' });
    const ends = [];
    for (const earlier of ['a', 'b']) {
      fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${BASE}\nRUN echo ${earlier} > /e\nCOPY --link --chmod=600 f.txt /f`);
      const r = await b.build(ctx);
      assert.ifError(r.error);
      ends.push(stepEnds(r.events));
    }
    assert.deepEqual(ends[1]!.map((e) => e.cached), [false, false]);
    assert.equal(ends[1]![1]!.cacheMiss, 'an earlier step changed');
  });
});
