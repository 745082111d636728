// `build --pull` against a real docker-registry on 127.0.0.1: the base image is pushed, built
// FROM (pulled because it is missing), then replaced under the same tag. Without --pull the
// local base is used and every step hits the cache; with --pull the new base is pulled, the
// steps run again and the miss reason names the base change. Needs root (RUN) and
// `npm run build` (the container bundles).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Builder } from '../../../runtime/build/executor';
import type { BuildEvent } from '../../../runtime/build/events';
import { mountsUnder } from '../../helpers/mounts';
import { ImageStore, importRootfs } from '../../../runtime/image';
import { parseReference } from '../../../runtime/image/reference';
import { LibcSyscalls } from '../../../runtime/linux/libc';
import { pullImage } from '../../../runtime/registry/pull';
import { pushImage } from '../../../runtime/registry/push';
import { RegistrySession } from '../../../runtime/registry/session';
import { requires } from '../../helpers/tiers';
import { startRegistry, whyNoRegistry, type TestRegistry } from '../../helpers/registry';
import { makeBusyboxRootfs } from '../../helpers/rootfs';
import { bundles } from '../../privileged/container/harness';

type StepEnd = Extract<BuildEvent, { type: 'step-end' }>;

describe('build --pull', requires(whyNoRegistry()), () => {
  let registry: TestRegistry;
  let dir: string;
  let publisher: ImageStore;
  let builder: Builder;
  let store: ImageStore;
  let tarball: Buffer;
  const session = new RegistrySession();
  const pulls: string[] = [];
  let base = '';

  /** Publishes a base image made from the busybox rootfs, its config changed by `change`. */
  async function publish(change: string): Promise<string> {
    const { image } = await importRootfs(publisher, Readable.from([tarball]), { names: [base], changes: ['CMD ["/bin/sh"]', change] });
    await pushImage(publisher, parseReference(base), { session });
    return image.id;
  }

  async function build(ctx: string, pull: boolean): Promise<{ id: string; steps: StepEnd[] }> {
    const events: BuildEvent[] = [];
    const r = await builder.build({ context: ctx, dockerfile: path.join(ctx, 'Dockerfile'), tags: ['app:1'], pull }, (e) => events.push(e));
    return { id: r.imageId, steps: events.filter((e): e is StepEnd => e.type === 'step-end') };
  }

  before(async () => {
    registry = await startRegistry();
    base = `${registry.host}/test/base:1`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-build-pull-'));
    const rootfs = makeBusyboxRootfs(path.join(dir, 'rootfs'));
    tarball = execFileSync('tar', ['-C', rootfs.path, '--numeric-owner', '-c', '.'], { maxBuffer: 64 << 20 });
    publisher = await ImageStore.open(path.join(dir, 'publisher'));
    store = await ImageStore.open(path.join(dir, 'state', 'image'));
    // The service's wiring (service/parts/images.ts): a missing or --pull base is pulled anonymously.
    builder = new Builder({
      store, stateRoot: path.join(dir, 'state'), sys: new LibcSyscalls(), start: bundles(),
      pull: async (ref, signal) => { pulls.push(ref); return store.get((await pullImage(store, parseReference(ref), { session, signal })).id); },
    });
  });

  after(async () => {
    await session.close();
    await registry?.stop();
    const left = dir ? mountsUnder(dir) : [];
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(left, [], 'no mount left');
  });

  test('the local base without --pull (all cached), the registry\'s new one with it (rebuilt, the miss names the base)', async () => {
    const v1 = await publish('ENV BASE_VERSION=1');
    const ctx = path.join(dir, 'ctx');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${base}\nCOPY app.txt /app.txt\nRUN echo "$BASE_VERSION" > /version\n`);
    fs.writeFileSync(path.join(ctx, 'app.txt'), 'app\n');

    const first = await build(ctx, false);
    assert.deepEqual(pulls, [base], 'a missing base is pulled');
    assert.equal((await store.get(base)).id, v1);
    assert.deepEqual(first.steps.map((s) => s.cached), [false, false]);

    const v2 = await publish('ENV BASE_VERSION=2');
    assert.notEqual(v2, v1, 'the registry now has another image under the same tag');

    const noPull = await build(ctx, false);
    assert.deepEqual(pulls, [base], 'no pull without --pull');
    assert.deepEqual(noPull.steps.map((s) => s.cached), [true, true], 'the old base: every step from the cache');
    assert.equal(noPull.id, first.id);
    assert.equal((await store.get(base)).id, v1);

    const pulled = await build(ctx, true);
    assert.deepEqual(pulls, [base, base], '--pull asks the registry');
    assert.equal((await store.get(base)).id, v2, 'the new base replaced the local one');
    assert.deepEqual(pulled.steps.map((s) => s.cached), [false, false], 'every step ran again on the new base');
    assert.match(pulled.steps[0].cacheMiss ?? '', new RegExp(`^base image ${base.replace(/[.]/g, '\\.')} changed \\(${v1.slice(7, 19)} → ${v2.slice(7, 19)}\\)`));
    assert.notEqual(pulled.id, first.id);
    const image = await store.get(pulled.id);
    assert.ok(image.config.config?.Env?.includes('BASE_VERSION=2'), 'the image is built on the new base');

    const again = await build(ctx, true);
    assert.deepEqual(again.steps.map((s) => s.cached), [true, true], '--pull with nothing new: the cache holds');
    assert.equal(again.id, pulled.id);
  });
});
