// Cache hits and misses, per-layer change lists, failing steps and hostile contexts, on the
// real kernel (see harness.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { privileged } from '../../helpers/tiers';
import { BASE, bench, stepEnds, type Bench } from './harness';

const APP = `FROM ${BASE}\nWORKDIR /app\nCOPY a.txt b.txt /app/\nRUN cat /app/a.txt /app/b.txt > /app/both.txt\nENV X=1\nCMD ["cat", "/app/both.txt"]`;

describe('build cache', privileged, () => {
  let b: Bench;
  let ctx: string;
  let firstId: string;
  before(async () => {
    b = await bench();
    ctx = b.context({ Dockerfile: APP, 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const r = await b.build(ctx, { tags: ['cache-test:1'] });
    assert.ifError(r.error);
    firstId = r.image!.id;
    assert.deepEqual(stepEnds(r.events).map((e) => e.cached), [false, false, false, false, false]);
  });
  after(async () => { await b.cleanup(); });

  const cases: Array<{ name: string; change?: (ctx: string) => void; noCache?: boolean; cached: boolean[]; reason?: RegExp; sameImage: boolean }> = [
    { name: 'no change: every step cached, same image ID', cached: [true, true, true, true, true], sameImage: true },
    { name: 'mtime only (a fresh checkout): still cached', change: (c) => fs.utimesSync(path.join(c, 'a.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1)), cached: [true, true, true, true, true], sameImage: true },
    { name: 'one COPY source changed: rebuilt from that step on, with the reason', change: (c) => fs.writeFileSync(path.join(c, 'b.txt'), 'B\n'), cached: [true, false, false, false, false], reason: /COPY: b\.txt changed/, sameImage: false },
    { name: 'mode of a source changed', change: (c) => fs.chmodSync(path.join(c, 'a.txt'), 0o600), cached: [true, false, false, false, false], reason: /COPY: a\.txt mode or owner changed/, sameImage: false },
    { name: '--no-cache runs everything', noCache: true, cached: [false, false, false, false, false], reason: /--no-cache/, sameImage: false },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      c.change?.(ctx);
      const r = await b.build(ctx, { tags: ['cache-test:1'], noCache: c.noCache });
      assert.ifError(r.error);
      const ends = stepEnds(r.events);
      assert.deepEqual(ends.map((e) => e.cached), c.cached);
      if (c.reason) assert.match(ends.find((e) => !e.cached)?.cacheMiss ?? '', c.reason);
      if (c.sameImage) assert.equal(r.image!.id, firstId);
      else assert.notEqual(r.image!.id, firstId);
      // The tag follows the newest build.
      assert.equal((await b.store.get('cache-test:1')).id, r.image!.id);
    });
  }

  test('a RUN that adds, modifies and deletes shows A/C/D in its layer', async () => {
    const c = b.context({ Dockerfile: `FROM ${BASE}\nRUN echo n > /new.txt && echo more >> /etc/os-release && rm /etc/group` });
    const r = await b.build(c);
    assert.ifError(r.error);
    const layer = stepEnds(r.events)[0].layer!;
    const kinds = Object.fromEntries((layer.changes ?? []).filter((x) => x.type !== 'directory').map((x) => [x.path, x.kind]));
    assert.deepEqual(kinds, { '/new.txt': 'added', '/etc/os-release': 'modified', '/etc/group': 'deleted' });
    assert.deepEqual([layer.counts.added, layer.counts.deleted], [1, 1]);
    // The same list is stored with the layer for /slipway/images/{id}/layers.
    const record = await b.store.layers.record(layer.diffID);
    assert.deepEqual(record?.changes, layer.changes);
  });

  test('a failing RUN reports its line and exit code and tags nothing', async () => {
    const c = b.context({ Dockerfile: `FROM ${BASE}\nRUN true\nRUN echo about to fail; exit 3\nRUN echo never` });
    const r = await b.build(c, { tags: ['must-not-exist:1'] });
    assert.ok(r.error);
    const err = r.events.find((e) => e.type === 'build-error');
    assert.ok(err && err.type === 'build-error');
    assert.equal(err.exitCode, 3);
    assert.equal(err.range?.start.line, 2);
    assert.match(err.message, /did not complete successfully: exit code: 3/);
    assert.ok(r.events.some((e) => e.type === 'step-log' && e.text === 'about to fail'), 'output before the failure is streamed');
    assert.equal(await b.store.find('must-not-exist:1'), undefined);
    assert.deepEqual(fs.readdirSync(path.join(b.state, 'build-tmp')), [], 'temp dirs removed');
  });

  const hostile: Array<{ name: string; dockerfile: string; prepare?: (ctx: string) => void; error: RegExp }> = [
    { name: 'COPY ../ outside the context', dockerfile: `FROM ${BASE}\nCOPY ../outside /x`, error: /outside the build context/ },
    {
      name: 'a symlink in the context pointing out is resolved inside it',
      dockerfile: `FROM ${BASE}\nCOPY link/passwd /stolen`,
      prepare: (c) => fs.symlinkSync('/etc', path.join(c, 'link')),
      error: /not found in the build context/,
    },
  ];
  for (const h of hostile) {
    test(`refused: ${h.name}`, async () => {
      const c = b.context({ Dockerfile: h.dockerfile });
      h.prepare?.(c);
      const r = await b.build(c, { tags: ['hostile:1'] });
      assert.ok(r.error, 'the build fails');
      assert.match(r.error!.message, h.error);
      assert.equal(await b.store.find('hostile:1'), undefined);
    });
  }

  test('a symlink in the context is copied as a symlink, not followed', async () => {
    const c = b.context({ Dockerfile: `FROM ${BASE}\nCOPY . /ctx` });
    fs.symlinkSync('/etc/shadow', path.join(c, 'evil'));
    const r = await b.build(c);
    assert.ifError(r.error);
    const st = await b.stat(r.image!, 'ctx/evil');
    assert.ok(st?.isSymbolicLink());
  });
});
