// What a build records and reports, on the real kernel: every layer's record names the
// Dockerfile lines that made it (a RUN continued over lines, a COPY), served with the change
// lists; the build's events carry the user's Dockerfile name, the message once, and only this
// build's tags; a base image that cannot be pulled says why once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Builder } from '../../../runtime/build/executor';
import type { BuildEvent } from '../../../runtime/build/events';
import { imageLayerChanges } from '../../../runtime/image/layer-changes';
import { describe as describeError } from '../../../runtime/errors';
import { LibcSyscalls } from '../../../runtime/linux/libc';
import { privileged } from '../../helpers/tiers';
import { bundles } from '../container/harness';
import { BASE, bench, type Bench } from './harness';

const DOCKERFILE = [
  `FROM ${BASE}`, //                      1
  'WORKDIR /app', //                      2
  'COPY hello.txt greet/', //             3
  'ENV A=1', //                           4
  'RUN echo one > /app/one && \\', //     5
  '    echo two > /app/two && \\', //     6
  '    rm /etc/group', //                 7
  'COPY --chmod=600 b.txt ./', //         8
  '',
].join('\n');

describe('build records and output', privileged, () => {
  let b: Bench;
  before(async () => { b = await bench(); });
  after(async () => { await b.cleanup(); });

  test('each layer\'s record names its Dockerfile lines: a multi-line RUN and the COPYs', async () => {
    const ctx = b.context({ Dockerfile: DOCKERFILE, 'hello.txt': 'hi\n', 'b.txt': 'b\n' });
    const r = await b.build(ctx, { tags: ['records:1'] });
    assert.ifError(r.error);
    const layers = await imageLayerChanges(b.store, 'records:1');
    const built = layers.filter((l) => l.source);
    const dockerfile = path.join(ctx, 'Dockerfile');
    assert.deepEqual(built.map((l) => [l.createdBy?.split(' ')[0], l.source]), [
      ['WORKDIR', { file: 'Dockerfile', startLine: 2, endLine: 2, step: 0, path: dockerfile }],
      ['COPY', { file: 'Dockerfile', startLine: 3, endLine: 3, step: 1, path: dockerfile }],
      ['RUN', { file: 'Dockerfile', startLine: 5, endLine: 7, step: 3, path: dockerfile }],
      ['COPY', { file: 'Dockerfile', startLine: 8, endLine: 8, step: 4, path: dockerfile }],
    ]);
    assert.ok(layers[0].source === undefined, 'the imported base layer has no Dockerfile source');
    const run = built[2];
    assert.ok(run.changes.some((c) => c.path === '/app/two') && run.changes.some((c) => c.kind === 'deleted' && c.path === '/etc/group'));
    // The step numbers match the build's own events.
    const starts = r.events.find((e): e is Extract<BuildEvent, { type: 'build-start' }> => e.type === 'build-start')!;
    for (const l of built) assert.equal(starts.steps[l.source!.step].range.start.line + 1, l.source!.startLine);
  });

  test('a cached rebuild after lines moved records the new lines; tags are this build\'s only', async () => {
    const ctx = b.context({ Dockerfile: DOCKERFILE.replace('WORKDIR /app\n', 'WORKDIR /app\n# a comment\n\n'), 'hello.txt': 'hi\n', 'b.txt': 'b\n' });
    const r = await b.build(ctx, { tags: ['records:2', 'records:2'] });
    assert.ifError(r.error);
    const end = r.events.find((e) => e.type === 'build-end');
    assert.ok(end?.type === 'build-end');
    assert.deepEqual(end.tags, ['docker.io/library/records:2'], 'not records:1, which the same image also carries');
    assert.deepEqual((await b.store.get('records:2')).names.sort(), ['docker.io/library/records:1', 'docker.io/library/records:2']);
    const run = (await imageLayerChanges(b.store, 'records:2')).find((l) => l.createdBy?.startsWith('RUN'));
    assert.deepEqual([run?.source?.startLine, run?.source?.endLine], [7, 9]);
  });

  test('a failing RUN: the user\'s Dockerfile name and the message once, without the service\'s paths', async () => {
    const ctx = b.context({ 'sub/app.Dockerfile': `FROM ${BASE}\nRUN true\nRUN exit 3\n` });
    const r = await b.build(ctx, { dockerfile: path.join(ctx, 'sub/app.Dockerfile') });
    const err = r.events.find((e) => e.type === 'build-error');
    assert.ok(err?.type === 'build-error');
    assert.equal(err.file, 'sub/app.Dockerfile');
    assert.equal(err.range?.start.line, 2);
    assert.equal(err.message, 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3');
  });

  test('a base image that cannot be pulled says so with the registry\'s reason, once', async () => {
    const builder = new Builder({ store: b.store, stateRoot: b.state, sys: new LibcSyscalls(), start: bundles(), pull: async (ref) => { throw new Error(`manifest unknown: ${ref}`); } });
    const ctx = b.context({ Dockerfile: 'FROM 127.0.0.1:9/nowhere/base:1\nRUN true\n' });
    const events: BuildEvent[] = [];
    await assert.rejects(builder.build({ context: ctx, dockerfile: path.join(ctx, 'Dockerfile') }, (e) => events.push(e)), (e: unknown) => {
      const text = describeError(e);
      assert.equal(text.split('manifest unknown').length - 1, 1, text);
      return /base image 127\.0\.0\.1:9\/nowhere\/base:1 is not in the store and cannot be pulled: manifest unknown/.test(text);
    });
    const err = events.find((e) => e.type === 'build-error');
    assert.ok(err?.type === 'build-error');
    assert.equal(err.message.split('manifest unknown').length - 1, 1, err.message);
  });
});
