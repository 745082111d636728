// The builder against the real kernel, one table row per instruction rule, on a busybox base:
// each row builds a Dockerfile in a fresh context and checks files (through the image's own
// layer stack) and the image config. Needs root and `npm run build` (init/worker bundles).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { privileged } from '../../helpers/tiers';
import type { ImageRecord } from '../../../runtime/image';
import { BASE, bench, type Bench } from './harness';

interface Row {
  name: string;
  dockerfile: string;
  files?: Record<string, string>;
  /** Extra set-up of the context dir (symlinks, archives). */
  prepare?: (ctx: string) => void;
  buildArgs?: Record<string, string>;
  /** A Dockerfile built (and tagged `parent:1`) first, for rows that need their own base. */
  parent?: string;
  check(b: Bench, image: ImageRecord): Promise<void>;
}

const rows: Row[] = [
  {
    name: 'RUN shell form writes a file',
    dockerfile: `FROM ${BASE}\nRUN echo hi > /out.txt`,
    async check(b, i) { assert.equal(await b.read(i, 'out.txt'), 'hi\n'); },
  },
  {
    name: 'RUN exec form',
    dockerfile: `FROM ${BASE}\nRUN ["/bin/sh", "-c", "echo exec > /exec.txt"]`,
    async check(b, i) { assert.equal(await b.read(i, 'exec.txt'), 'exec\n'); },
  },
  {
    name: 'RUN heredoc through the shell',
    dockerfile: `FROM ${BASE}\nRUN <<EOF\necho one > /h1\necho two > /h2\nEOF`,
    async check(b, i) { assert.equal(await b.read(i, 'h1'), 'one\n'); assert.equal(await b.read(i, 'h2'), 'two\n'); },
  },
  {
    name: 'RUN heredoc with #! runs as a script and leaves no file behind',
    dockerfile: `FROM ${BASE}\nRUN <<EOF\n#!/bin/sh\necho "script $0" > /sb\nEOF`,
    async check(b, i) { assert.match((await b.read(i, 'sb')) ?? '', /^script \/dev\/pipes\/EOF/); assert.equal(await b.stat(i, 'dev/pipes'), undefined); },
  },
  {
    name: 'SHELL changes what shell form runs',
    dockerfile: `FROM ${BASE}\nSHELL ["/bin/sh", "-ec"]\nRUN echo "$0" > /shell.txt`,
    async check(b, i) { assert.equal(await b.read(i, 'shell.txt'), '/bin/sh\n'); assert.deepEqual(i.config.config?.Shell, ['/bin/sh', '-ec']); },
  },
  {
    name: 'COPY glob selects only matching files',
    dockerfile: `FROM ${BASE}\nCOPY *.txt /dst/`,
    files: { 'a.txt': 'A', 'b.txt': 'B', 'c.md': 'C' },
    async check(b, i) {
      assert.equal(await b.read(i, 'dst/a.txt'), 'A');
      assert.equal(await b.read(i, 'dst/b.txt'), 'B');
      assert.equal(await b.stat(i, 'dst/c.md'), undefined);
    },
  },
  {
    name: 'COPY trailing slash: into a dir vs to a file name',
    dockerfile: `FROM ${BASE}\nCOPY a.txt /file\nCOPY a.txt /dir/`,
    files: { 'a.txt': 'A' },
    async check(b, i) {
      assert.ok((await b.stat(i, 'file'))?.isFile());
      assert.equal(await b.read(i, 'dir/a.txt'), 'A');
    },
  },
  {
    name: 'COPY a directory copies its contents; context files are owned by root',
    dockerfile: `FROM ${BASE}\nCOPY src /app`,
    files: { 'src/x/y.txt': 'Y', 'src/z.txt': 'Z' },
    async check(b, i) {
      assert.equal(await b.read(i, 'app/x/y.txt'), 'Y');
      assert.equal(await b.read(i, 'app/z.txt'), 'Z');
      assert.equal(await b.stat(i, 'app/src'), undefined);
      assert.equal((await b.stat(i, 'app/z.txt'))?.uid, 0);
    },
  },
  {
    name: 'COPY --chown with names from the image and --chmod',
    dockerfile: `FROM ${BASE}\nCOPY --chown=user:staff --chmod=0640 a.txt /owned/\nCOPY --chown=1234 a.txt /numeric`,
    files: { 'a.txt': 'A' },
    async check(b, i) {
      const st = (await b.stat(i, 'owned/a.txt'))!;
      assert.deepEqual([st.uid, st.gid, st.mode & 0o7777], [1000, 50, 0o640]);
      const n = (await b.stat(i, 'numeric'))!;
      assert.deepEqual([n.uid, n.gid], [1234, 1234]);
    },
  },
  {
    name: 'COPY --from an earlier stage keeps owners',
    dockerfile: `FROM ${BASE} AS builder\nRUN echo made > /made.txt && chown 1000:1000 /made.txt\nFROM ${BASE}\nCOPY --from=builder /made.txt /got.txt`,
    async check(b, i) {
      assert.equal(await b.read(i, 'got.txt'), 'made\n');
      assert.equal((await b.stat(i, 'got.txt'))?.uid, 1000);
      assert.equal(await b.stat(i, 'made.txt'), undefined, 'the builder stage is not in the final image');
    },
  },
  {
    name: 'ADD auto-extracts a local gzip tar, COPY does not',
    dockerfile: `FROM ${BASE}\nADD bundle.tar.gz /unpacked/\nCOPY bundle.tar.gz /copied/`,
    prepare(ctx) {
      fs.mkdirSync(path.join(ctx, 'payload'));
      fs.writeFileSync(path.join(ctx, 'payload', 'f.txt'), 'from tar');
      execFileSync('tar', ['-C', path.join(ctx, 'payload'), '-czf', path.join(ctx, 'bundle.tar.gz'), 'f.txt']);
      fs.rmSync(path.join(ctx, 'payload'), { recursive: true });
    },
    async check(b, i) {
      assert.equal(await b.read(i, 'unpacked/f.txt'), 'from tar');
      assert.ok((await b.stat(i, 'copied/bundle.tar.gz'))?.isFile());
    },
  },
  {
    name: 'ENV and ARG expansion, --build-arg, and ARG scope (a global ARG needs re-declaring)',
    dockerfile: `ARG GLOBAL=g\nFROM ${BASE}\nARG V=1\nENV A=\${V}-x B=\${UNSET:-dflt}\nRUN echo "$A $V $B [$GLOBAL]" > /env.txt\nARG GLOBAL\nRUN echo "[$GLOBAL]" > /global.txt`,
    buildArgs: { V: '2' },
    async check(b, i) {
      assert.equal(await b.read(i, 'env.txt'), '2-x 2 dflt []\n');
      assert.equal(await b.read(i, 'global.txt'), '[g]\n');
      assert.ok(i.config.config?.Env?.includes('A=2-x'));
      assert.ok(!i.config.config?.Env?.some((e) => e.startsWith('V=')), 'ARG values are not in the image');
    },
  },
  {
    name: 'WORKDIR chains relative paths and is created',
    dockerfile: `FROM ${BASE}\nWORKDIR /a\nWORKDIR b\nRUN pwd > /pwd.txt`,
    async check(b, i) {
      assert.equal(await b.read(i, 'pwd.txt'), '/a/b\n');
      assert.equal(i.config.config?.WorkingDir, '/a/b');
    },
  },
  {
    name: 'WORKDIR after USER is created owned by that user',
    dockerfile: `FROM ${BASE}\nUSER user\nWORKDIR /srv/work`,
    async check(b, i) {
      assert.equal((await b.stat(i, 'srv/work'))?.uid, 1000);
      assert.equal((await b.stat(i, 'srv'))?.uid, 1000);
    },
  },
  {
    name: 'an image symlink pointing out (/escape -> /etc) is followed inside the image only',
    dockerfile: `FROM ${BASE}\nRUN ln -s /etc /escape\nWORKDIR /escape/slipway-workdir-escape\nCOPY a.txt /escape/slipway-copy-escape\nCOPY <<EOF /escape/slipway-heredoc-escape\nx\nEOF`,
    files: { 'a.txt': 'A' },
    async check(b, i) {
      const leaked = ['slipway-workdir-escape', 'slipway-copy-escape', 'slipway-heredoc-escape'].filter((n) => fs.existsSync(path.join('/etc', n)));
      for (const n of leaked) fs.rmSync(path.join('/etc', n), { recursive: true, force: true });
      assert.deepEqual(leaked, [], 'nothing was written to the host\'s /etc');
      assert.ok((await b.stat(i, 'etc/slipway-workdir-escape'))?.isDirectory());
      assert.equal(await b.read(i, 'etc/slipway-copy-escape'), 'A');
      assert.equal(await b.read(i, 'etc/slipway-heredoc-escape'), 'x\n');
    },
  },
  {
    name: 'USER runs later steps as that user',
    dockerfile: `FROM ${BASE}\nUSER user\nRUN id -u > /tmp/uid && id -G > /tmp/groups`,
    async check(b, i) {
      assert.equal(await b.read(i, 'tmp/uid'), '1000\n');
      assert.match((await b.read(i, 'tmp/groups')) ?? '', /\b50\b/, 'supplementary groups from /etc/group');
      assert.equal(i.config.config?.User, 'user');
    },
  },
  {
    name: 'ENTRYPOINT resets an inherited CMD; CMD after it is kept; shell forms are wrapped',
    dockerfile: `FROM ${BASE}\nENTRYPOINT ["/bin/echo"]\nCMD ["hello"]\nFROM ${BASE}\nENTRYPOINT echo hi`,
    async check(_b, i) {
      assert.deepEqual(i.config.config?.Entrypoint, ['/bin/sh', '-c', 'echo hi']);
      assert.equal(i.config.config?.Cmd ?? null, null, 'the base image\'s CMD is reset by ENTRYPOINT');
    },
  },
  {
    name: 'CMD and config instructions add empty_layer history entries',
    dockerfile: `FROM ${BASE}\nLABEL a=b\nEXPOSE 80\nSTOPSIGNAL SIGINT\nCMD ["sh", "-c", "true"]`,
    async check(_b, i) {
      const c = i.config.config!;
      assert.deepEqual(c.Cmd, ['sh', '-c', 'true']);
      assert.deepEqual(c.Labels, { a: 'b' });
      assert.deepEqual(Object.keys(c.ExposedPorts ?? {}), ['80/tcp']);
      assert.equal(c.StopSignal, 'SIGINT');
      const added = (i.config.history ?? []).slice(-4);
      assert.ok(added.every((h) => h.empty_layer === true), JSON.stringify(added));
      assert.equal(i.config.rootfs.diff_ids.length, 1, 'no layer beyond the base');
    },
  },
  {
    name: 'ONBUILD triggers of the base run first in the child, and are not inherited further',
    parent: `FROM ${BASE}\nONBUILD RUN echo triggered > /trig.txt\nONBUILD COPY a.txt /from-child-context.txt`,
    dockerfile: 'FROM parent:1\nRUN cat /trig.txt > /seen.txt',
    files: { 'a.txt': 'child' },
    async check(b, i) {
      assert.equal(await b.read(i, 'seen.txt'), 'triggered\n');
      assert.equal(await b.read(i, 'from-child-context.txt'), 'child');
      assert.equal(i.config.config?.OnBuild ?? null, null);
    },
  },
  {
    name: '.dockerignore with an exception',
    dockerfile: `FROM ${BASE}\nCOPY . /ctx`,
    files: { '.dockerignore': '*.md\n!keep.md\n', 'keep.md': 'K', 'drop.md': 'D', 'code.txt': 'C' },
    async check(b, i) {
      assert.equal(await b.read(i, 'ctx/keep.md'), 'K');
      assert.equal(await b.read(i, 'ctx/code.txt'), 'C');
      assert.equal(await b.stat(i, 'ctx/drop.md'), undefined);
    },
  },
];

describe('builder instructions', privileged, () => {
  let b: Bench;
  before(async () => { b = await bench(); });
  after(async () => { await b.cleanup(); });

  test('ADD <url> downloads the file with mode 0600', async () => {
    const server = http.createServer((_req, res) => { res.writeHead(200, { 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT' }); res.end('downloaded'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const r = await b.build(b.context({ Dockerfile: `FROM ${BASE}\nADD http://127.0.0.1:${port}/files/data.txt /dl/` }));
      assert.ifError(r.error);
      assert.equal(await b.read(r.image!, 'dl/data.txt'), 'downloaded');
      const st = (await b.stat(r.image!, 'dl/data.txt'))!;
      assert.equal(st.mode & 0o7777, 0o600);
      assert.equal(st.mtime.toISOString(), '2015-10-21T07:28:00.000Z');
    } finally {
      server.close();
    }
  });


  for (const row of rows) {
    test(row.name, async () => {
      if (row.parent) {
        const p = await b.build(b.context({ Dockerfile: row.parent }), { tags: ['parent:1'] });
        assert.ifError(p.error);
      }
      const ctx = b.context({ ...(row.files ?? {}), Dockerfile: row.dockerfile });
      row.prepare?.(ctx);
      const r = await b.build(ctx, { buildArgs: row.buildArgs });
      assert.ifError(r.error);
      await row.check(b, r.image!);
    });
  }
});
