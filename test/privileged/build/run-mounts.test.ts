// RUN --mount on the real kernel: each mount type works inside the step AND leaves nothing in
// the image (no content, no mount point), secrets stay out of layers, history and cache keys,
// cache mounts persist across builds, and what a bind reads is part of the step's cache key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { privileged } from '../../helpers/tiers';
import type { ImageRecord } from '../../../runtime/image';
import { BASE, bench, stepEnds, type Bench } from './harness';

/** Every path of the image's topmost layer (from its tar blob), and the raw tar bytes. */
async function topLayer(b: Bench, image: ImageRecord): Promise<{ names: string[]; tar: Buffer }> {
  const desc = image.manifest.layers[image.manifest.layers.length - 1]!;
  const tar = gunzipSync(await b.store.blobs.read(desc.digest));
  const names: string[] = [];
  for (let off = 0; off + 512 <= tar.length;) {
    const header = tar.subarray(off, off + 512);
    if (header.every((x) => x === 0)) break;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156]!);
    if (type !== 'x' && type !== 'g') names.push(prefix ? `${prefix}/${name}` : name);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return { names, tar };
}

describe('RUN --mount', privileged, () => {
  let b: Bench;
  before(async () => { b = await bench(); });
  after(async () => { await b.cleanup(); });

  const cases: Array<{
    name: string;
    files: Record<string, string>;
    run: string;
    /** path → expected content in the image. */
    expect: Record<string, string>;
    /** Paths that must not be in the image. */
    absent: string[];
    after?: (ctx: string) => void;
  }> = [
    {
      name: 'bind (default type) reads the context, read-only',
      files: { 'a.txt': 'from context\n' },
      run: 'RUN --mount=target=/ctx cat /ctx/a.txt > /out && if touch /ctx/x 2>/dev/null; then echo writable > /out; fi',
      expect: { out: 'from context\n' }, absent: ['ctx'],
    },
    {
      name: 'bind rw: writes are seen by the step, then discarded',
      files: { 'a.txt': 'a\n' },
      run: 'RUN --mount=type=bind,target=/ctx,rw echo new > /ctx/new && cat /ctx/new /ctx/a.txt > /out',
      expect: { out: 'new\na\n' }, absent: ['ctx'],
      after: (ctx) => assert.equal(fs.existsSync(path.join(ctx, 'new')), false, 'the context is untouched'),
    },
    {
      name: 'bind source= selects a file, relative target is under WORKDIR',
      files: { 'sub/conf.ini': 'x=1\n' },
      run: 'WORKDIR /w\nRUN --mount=source=sub/conf.ini,target=conf.ini cat /w/conf.ini > /out',
      expect: { out: 'x=1\n' }, absent: ['w/conf.ini'],
    },
    {
      name: '.dockerignore hides files from a context bind',
      files: { '.dockerignore': 'hidden.txt\n', 'hidden.txt': 'no\n', 'seen.txt': 'yes\n' },
      run: 'RUN --mount=target=/c sh -c \'ls /c > /out\'',
      expect: { out: 'Dockerfile\nseen.txt\n' }, absent: ['c'],
    },
    {
      name: 'bind from= a stage, source inside it',
      files: {},
      run: '', // replaced below (needs two stages)
      expect: { out: 'built\n' }, absent: ['d'],
    },
    {
      name: 'tmpfs with size',
      files: {},
      run: 'RUN --mount=type=tmpfs,target=/scratch,size=1m sh -c \'grep " /scratch " /proc/mounts | cut -d" " -f3 > /out; grep " /scratch " /proc/mounts | grep -o "size=[0-9]*k" >> /out; echo big > /scratch/f\'',
      expect: { out: 'tmpfs\nsize=1024k\n' }, absent: ['scratch'],
    },
    {
      name: 'cache with uid, gid and mode',
      files: {},
      run: 'RUN --mount=type=cache,target=/opt/c,id=owned,uid=1000,gid=50,mode=0700 stat -c "%u %g %a" /opt/c > /out',
      expect: { out: '1000 50 700\n' }, absent: ['opt'],
    },
  ];
  cases[4]!.run = `RUN mkdir /data && echo built > /data/f\nFROM ${BASE}\nRUN --mount=from=0,source=/data,target=/d cat /d/f > /out`;
  // Rows that need a first stage: `STAGE` is replaced by one that makes /data/f.
  const STAGE = `RUN mkdir /data && echo built > /data/f\nFROM ${BASE}`;
  cases.push(
    {
      name: 'bind rw of a stage: the step writes over it, the stage is not changed',
      files: {},
      run: `${STAGE}\nRUN --mount=from=0,source=/data,target=/d,rw sh -c 'echo more >> /d/f && cat /d/f > /out'\nRUN --mount=from=0,source=/data,target=/d cp /d/f /again`,
      expect: { out: 'built\nmore\n', again: 'built\n' }, absent: ['d'],
    },
    {
      name: 'bind from= an image (by reference), a single file as source',
      files: {},
      run: `RUN --mount=from=${BASE},source=/bin/busybox,target=/opt/bb cmp /opt/bb /bin/busybox && echo from-image > /out`,
      expect: { out: 'from-image\n' }, absent: ['opt'],
    },
    {
      name: 'the same locked cache twice in one step is one directory (no self-deadlock)',
      files: {},
      run: 'RUN --mount=type=cache,id=twice,target=/a,sharing=locked --mount=type=cache,id=twice,target=/b,sharing=locked sh -c \'echo x > /a/f && cat /b/f > /out\'',
      expect: { out: 'x\n' }, absent: ['a', 'b'],
    },
    {
      name: 'cache seeded from a stage (from=, source=)',
      files: {},
      run: `${STAGE}\nRUN --mount=type=cache,id=seeded,target=/c,from=0,source=/data cat /c/f > /out`,
      expect: { out: 'built\n' }, absent: ['c'],
    },
  );

  for (const c of cases) {
    test(c.name, async () => {
      const ctx = b.context({ ...c.files, Dockerfile: `FROM ${BASE}\n${c.run}\n` });
      const r = await b.build(ctx);
      assert.ifError(r.error);
      const image = r.image!;
      for (const [p, want] of Object.entries(c.expect)) assert.equal(await b.read(image, p), want, p);
      for (const p of c.absent) assert.equal(await b.stat(image, p), undefined, `${p} must not be in the image`);
      c.after?.(ctx);
    });
  }

  test('a cache mount is kept across builds and stays out of the layers', async () => {
    const first = b.context({ Dockerfile: `FROM ${BASE}\nRUN --mount=type=cache,target=/var/cache/apt echo downloaded > /var/cache/apt/pkg.deb\n` });
    const r1 = await b.build(first);
    assert.ifError(r1.error);
    assert.equal(await b.stat(r1.image!, 'var/cache/apt'), undefined);
    // Another Dockerfile, same target (the default id): the second build sees the first's file.
    const second = b.context({ Dockerfile: `FROM ${BASE}\nRUN --mount=type=cache,target=/var/cache/apt cp /var/cache/apt/pkg.deb /seen\n` });
    const r2 = await b.build(second);
    assert.ifError(r2.error);
    assert.equal(await b.read(r2.image!, 'seen'), 'downloaded\n');
    assert.equal(await b.stat(r2.image!, 'var/cache/apt/pkg.deb'), undefined);
    // builder prune removes it: a third build starts empty.
    const pruned = b.builder.prune();
    assert.ok(pruned.cacheMounts.includes('/var/cache/apt'), `pruned: ${pruned.cacheMounts.join(', ')}`);
    const r3 = await b.build(second, { noCache: true });
    assert.match(r3.error?.message ?? '', /exit code: 1/);
  });

  test('a secret is readable in RUN, 0400, and absent from the layer, history and cache key', async () => {
    const secret = `s3cret-${process.pid}-${Date.now()}`;
    // The Dockerfile only knows the secret's hash, so finding the secret anywhere is a leak.
    const hash = createHash('sha256').update(secret).digest('hex');
    // stat -f: the file is on a tmpfs (never written to the service's disk).
    const df = `FROM ${BASE}\nRUN --mount=type=secret,id=tok test "$(sha256sum < /run/secrets/tok | cut -d' ' -f1)" = ${hash} && stat -c %a /run/secrets/tok > /mode && stat -f -c %T /run/secrets/tok > /fs\n` +
      `RUN --mount=type=secret,id=tok,env=TOKEN,required sh -c 'test "$(printf %s "$TOKEN" | sha256sum | cut -d" " -f1)" = ${hash} && echo ok > /env-ok'\n`;
    const ctx = b.context({ Dockerfile: df });
    const r = await b.build(ctx, { secrets: { tok: Buffer.from(secret) } });
    assert.ifError(r.error);
    const image = r.image!;
    assert.equal(await b.read(image, 'mode'), '400\n');
    assert.equal(await b.read(image, 'fs'), 'tmpfs\n');
    assert.equal(await b.read(image, 'env-ok'), 'ok\n');
    assert.equal(await b.stat(image, 'run/secrets'), undefined);
    for (const layer of image.manifest.layers.slice(-2)) {
      const tar = gunzipSync(await b.store.blobs.read(layer.digest));
      assert.equal(tar.includes(Buffer.from(secret)), false, 'secret bytes in a layer');
    }
    const { names } = await topLayer(b, image);
    assert.ok(!names.some((n) => n.includes('secrets')), names.join(' '));
    assert.ok(!JSON.stringify(image.config).includes(secret), 'secret in the config or history');
    // The key has the id only: a different value hits the cache (as BuildKit), a missing
    // required one fails at its line.
    const again = await b.build(ctx, { secrets: { tok: Buffer.from('other') } });
    assert.ifError(again.error);
    assert.deepEqual(stepEnds(again.events).map((e) => e.cached), [true, true]);
    // Missing and optional: no file (BuildKit skips the mount), so the command fails by itself.
    const optional = await b.build(ctx, { noCache: true });
    const soft = optional.events.find((e) => e.type === 'build-error');
    assert.ok(soft && soft.type === 'build-error' && soft.exitCode === 1 && soft.range?.start.line === 1, JSON.stringify(soft));
    // Missing and required: refused before anything runs, at its line.
    const required = b.context({ Dockerfile: `FROM ${BASE}\nRUN true\nRUN --mount=type=secret,id=tok,required=true true\n` });
    const missing = await b.build(required);
    const err = missing.events.find((e) => e.type === 'build-error');
    assert.ok(err && err.type === 'build-error');
    assert.match(err.message, /secret tok is required but was not provided/);
    assert.equal(err.range?.start.line, 2);
  });

  test('what a context bind reads is in the cache key; other files are not', async () => {
    const ctx = b.context({ Dockerfile: `FROM ${BASE}\nRUN --mount=source=src,target=/src cat /src/a > /out\n`, 'src/a': '1\n', 'other.txt': 'x' });
    assert.ifError((await b.build(ctx)).error);
    fs.writeFileSync(path.join(ctx, 'other.txt'), 'y');
    assert.deepEqual(stepEnds((await b.build(ctx)).events).map((e) => e.cached), [true]);
    fs.writeFileSync(path.join(ctx, 'src/a'), '2\n');
    const r = await b.build(ctx);
    assert.deepEqual(stepEnds(r.events).map((e) => e.cached), [false]);
    assert.equal(stepEnds(r.events)[0]!.cacheMiss, 'RUN --mount target=/src: its source changed');
    assert.equal(await b.read(r.image!, 'out'), '2\n');
  });

  test('a bind from a stage is keyed by that stage: changing the stage rebuilds the step', async () => {
    const df = (v: string) => `FROM ${BASE} AS src\nRUN echo ${v} > /v\nFROM ${BASE}\nRUN --mount=from=src,target=/s cat /s/v > /out\n`;
    const ctx = b.context({ Dockerfile: df('one') });
    assert.ifError((await b.build(ctx)).error);
    const same = await b.build(ctx);
    assert.deepEqual(stepEnds(same.events).map((e) => e.cached), [true, true]);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), df('two'));
    const r = await b.build(ctx);
    assert.deepEqual(stepEnds(r.events).map((e) => e.cached), [false, false]);
    assert.equal(await b.read(r.image!, 'out'), 'two\n');
  });

  test('RUN --network=none has only loopback; default and host see the host\'s interfaces', async () => {
    const hostIfs = fs.readdirSync('/sys/class/net').sort();
    const ctx = b.context({ Dockerfile: `FROM ${BASE}\nRUN --network=none ls /sys/class/net > /none\nRUN --network=host ls /sys/class/net > /host\nRUN ls /sys/class/net > /default\n` });
    const r = await b.build(ctx);
    assert.ifError(r.error);
    assert.equal(await b.read(r.image!, 'none'), 'lo\n');
    for (const p of ['host', 'default']) assert.deepEqual((await b.read(r.image!, p))!.trim().split('\n').sort(), hostIfs, p);
  });

  const failures: Array<{ name: string; dockerfile: string; prepare?: (ctx: string) => void; error: RegExp }> = [
    { name: 'a symlink in source= cannot climb out of the context', dockerfile: `FROM ${BASE}\nRUN --mount=source=link/passwd,target=/p cat /p`, prepare: (c) => fs.symlinkSync('/etc', path.join(c, 'link')), error: /mount source link\/passwd not found in the build context/ },
    { name: 'a bind of a path that is not there', dockerfile: `FROM ${BASE}\nRUN --mount=source=nope,target=/p true`, error: /mount source nope not found/ },
    { name: 'type=ssh is refused at its line', dockerfile: `FROM ${BASE}\nRUN --mount=type=ssh true`, error: /type=ssh is not supported: Slipway does not forward an SSH agent/ },
  ];
  for (const f of failures) {
    test(`refused: ${f.name}`, async () => {
      const ctx = b.context({ Dockerfile: f.dockerfile });
      f.prepare?.(ctx);
      const r = await b.build(ctx);
      const err = r.events.find((e) => e.type === 'build-error');
      assert.ok(err && err.type === 'build-error', 'a build-error event');
      assert.match(err.message, f.error);
      assert.equal(err.range?.start.line, 1);
    });
  }
});
