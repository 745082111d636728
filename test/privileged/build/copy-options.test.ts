// COPY --parents and --exclude against BuildKit's documented examples (reference.md), and ADD
// --checksum of a download from a local HTTP server, through the real builder (harness.ts).
// Each row builds one Dockerfile in a fresh context and checks the image's tree.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { privileged } from '../../helpers/tiers';
import type { ImageRecord } from '../../../runtime/image';
import { BASE, bench, stepEnds, type Bench } from './harness';

interface Row {
  name: string;
  dockerfile: string;
  files: Record<string, string>;
  prepare?: (ctx: string) => void;
  /** Path → content (a string), "dir" (a directory), or undefined (absent). */
  tree: Record<string, string | undefined>;
  modes?: Record<string, number>;
}

const rows: Row[] = [
  {
    name: 'reference.md: --parents keeps x/ and y/, without it the last a.txt wins',
    dockerfile: 'COPY ./x/a.txt ./y/a.txt /no_parents/\nCOPY --parents ./x/a.txt ./y/a.txt /parents/',
    files: { 'x/a.txt': 'x', 'y/a.txt': 'y' },
    tree: { 'no_parents/a.txt': 'y', 'parents/x/a.txt': 'x', 'parents/y/a.txt': 'y', 'no_parents/x': undefined },
  },
  {
    name: 'reference.md: a "/./" pivot keeps only the parents after it',
    dockerfile: 'COPY --parents ./x/./y/*.txt /parents/',
    files: { 'x/y/a.txt': 'a', 'x/y/b.txt': 'b', 'x/y/c.md': 'c' },
    tree: { 'parents/y/a.txt': 'a', 'parents/y/b.txt': 'b', 'parents/y/c.md': undefined, 'parents/x': undefined },
  },
  {
    name: 'reference.md: ** matches any number of levels with --parents',
    dockerfile: 'COPY --parents ./src/**/*.txt /parents/',
    files: { 'src/a.txt': 'a', 'src/x/b.txt': 'b', 'src/x/y/c.txt': 'c', 'src/x/y/d.md': 'd' },
    tree: { 'parents/src/a.txt': 'a', 'parents/src/x/b.txt': 'b', 'parents/src/x/y/c.txt': 'c', 'parents/src/x/y/d.md': undefined },
  },
  {
    name: '--parents: the parent directories it makes take their source\'s mode; a kept directory copies its contents',
    dockerfile: 'COPY --parents private/conf/app.conf pub/ /etc/p/',
    files: { 'private/conf/app.conf': 'c', 'pub/index.html': 'i' },
    prepare(ctx) { fs.chmodSync(path.join(ctx, 'private'), 0o700); fs.chmodSync(path.join(ctx, 'pub'), 0o750); },
    tree: { 'etc/p/private/conf/app.conf': 'c', 'etc/p/pub/index.html': 'i' },
    modes: { 'etc/p': 0o755, 'etc/p/private': 0o700, 'etc/p/private/conf': 0o755, 'etc/p/pub': 0o750 },
  },
  {
    name: 'reference.md: --exclude=*.txt hom* (the wildcard\'s files and what its directories hold)',
    dockerfile: 'COPY --exclude=*.txt hom* /mydir/',
    files: { 'home.txt': 't', 'homer.md': 'm', 'homedir/a.txt': 'a', 'homedir/b.md': 'b' },
    tree: { 'mydir/homer.md': 'm', 'mydir/b.md': 'b', 'mydir/home.txt': undefined, 'mydir/a.txt': undefined },
  },
  {
    name: 'reference.md: several --exclude flags',
    dockerfile: 'COPY --exclude=*.txt --exclude=*.md hom* /mydir/',
    files: { 'home.txt': 't', 'homer.md': 'm', 'homes.py': 'p' },
    tree: { 'mydir/homes.py': 'p', 'mydir/homer.md': undefined, 'mydir/home.txt': undefined },
  },
  {
    name: 'exclude_patterns_test.go builder3: patterns match inside the copied directory',
    dockerfile: 'ADD --exclude=*.mp3 dir3/ /3/',
    files: { 'dir3/file-301.mp3': '9', 'dir3/file-302.mpeg': '10' },
    tree: { '3/file-302.mpeg': '10', '3/file-301.mp3': undefined },
  },
];

describe('COPY --parents, --exclude and ADD --checksum', privileged, () => {
  let b: Bench;
  before(async () => { b = await bench(); });
  after(async () => { await b.cleanup(); });

  const check = async (image: ImageRecord, row: Pick<Row, 'tree' | 'modes'>) => {
    for (const [p, want] of Object.entries(row.tree)) {
      if (want === undefined) assert.equal(await b.stat(image, p), undefined, `${p} is absent`);
      else assert.equal(await b.read(image, p), want, p);
    }
    for (const [p, mode] of Object.entries(row.modes ?? {})) assert.equal(((await b.stat(image, p))?.mode ?? 0) & 0o7777, mode, `mode of ${p}`);
  };

  for (const row of rows) {
    test(row.name, async () => {
      const ctx = b.context({ ...row.files, Dockerfile: `FROM ${BASE}\n${row.dockerfile}` });
      row.prepare?.(ctx);
      const r = await b.build(ctx);
      assert.ifError(r.error);
      await check(r.image!, row);
    });
  }

  test('ADD <url> is keyed by the content: the same body hits, a new body misses and says so', async () => {
    let body = 'v1\n';
    let requests = 0;
    const server = http.createServer((_req, res) => { requests++; res.end(body); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data.txt`;
      const ctx = b.context({ Dockerfile: `FROM ${BASE}\nADD ${url} /d/` });
      const first = await b.build(ctx);
      assert.ifError(first.error);
      assert.equal(requests, 1, 'downloaded once for the key, and that file is the one copied');
      const again = await b.build(ctx);
      assert.ifError(again.error);
      assert.deepEqual(stepEnds(again.events).map((e) => e.cached), [true]);
      body = 'v2\n';
      const changed = await b.build(ctx);
      assert.ifError(changed.error);
      assert.equal(stepEnds(changed.events)[0]!.cacheMiss, `ADD: ${url} changed`);
      assert.equal(await b.read(changed.image!, 'd/data.txt'), 'v2\n');
      // With --checksum the key is the digest: a hit downloads nothing.
      const sum = `sha256:${createHash('sha256').update(body).digest('hex')}`;
      const pinned = b.context({ Dockerfile: `FROM ${BASE}\nADD --checksum=${sum} ${url} /p` });
      assert.ifError((await b.build(pinned)).error);
      const before = requests;
      const hit = await b.build(pinned);
      assert.deepEqual([stepEnds(hit.events)[0]!.cached, requests], [true, before]);
      assert.deepEqual(fs.readdirSync(path.join(b.state, 'build-tmp')), [], 'no download is left behind');
    } finally {
      server.close();
    }
  });

  test('ADD --checksum: sha256 and sha512 of the body pass; a wrong digest fails at its line', async () => {
    const body = 'payload\n';
    const server = http.createServer((_req, res) => res.end(body));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/f.bin`;
      const sum = (algo: string) => `${algo}:${createHash(algo).update(body).digest('hex')}`;
      const ok = await b.build(b.context({ Dockerfile: `FROM ${BASE}\nADD --checksum=${sum('sha256')} ${url} /a.bin\nADD --checksum=${sum('sha512')} ${url} /b.bin` }));
      assert.ifError(ok.error);
      await check(ok.image!, { tree: { 'a.bin': body, 'b.bin': body } });
      const wrong = `sha256:${'0'.repeat(64)}`;
      const bad = await b.build(b.context({ Dockerfile: `FROM ${BASE}\nRUN true\nADD --checksum=${wrong} ${url} /c.bin` }));
      assert.equal(bad.error?.message, `${path.join(b.dir, `ctx${fs.readdirSync(b.dir).filter((d) => d.startsWith('ctx')).length - 1}`, 'Dockerfile')}:3: digest mismatch for ${url}: ${sum('sha256')} (expected: ${wrong})`);
    } finally {
      server.close();
    }
  });
});
