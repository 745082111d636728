// The executor's pure parts: --chmod arithmetic, Docker's classic build stream derived from
// build events, the RUN step's runtime spec, and the cache index on a temp dir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyChmod } from '../../../../runtime/build/executor/copy';
import { dockerStreamTranslator } from '../../../../runtime/build/executor/docker-stream';
import { runSpec } from '../../../../runtime/build/executor/run';
import { BuildCache } from '../../../../runtime/build/executor/cache';
import type { BuildEvent } from '../../../../runtime/build/events';

const chmodCases: Array<[number, number | string, boolean, number]> = [
  [0o644, 0o600, false, 0o600],
  [0o644, 'u+x', false, 0o744],
  [0o644, 'go-r', false, 0o600],
  [0o755, 'a=rX', true, 0o555],
  [0o644, 'a=rX', false, 0o444],
  [0o744, 'a+X', false, 0o755],
  [0o600, 'u=rw,g=r,o=', false, 0o640],
  [0o755, 'u+s', false, 0o4755],
];
for (const [mode, chmod, dir, want] of chmodCases) {
  test(`--chmod=${typeof chmod === 'number' ? chmod.toString(8) : chmod} on ${mode.toString(8)}${dir ? ' (dir)' : ''} → ${want.toString(8)}`, () => {
    assert.equal(applyChmod(mode, chmod, dir), want);
  });
}

test('--chmod with an invalid clause names it', () => {
  assert.throws(() => applyChmod(0o644, 'u+q', false), /invalid --chmod "u\+q"/);
});

test('the Docker stream: steps numbered over the build, cache lines, output, ID and tags', () => {
  const t = dockerStreamTranslator();
  const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 10 } };
  const layer = { diffID: 'sha256:' + 'ab'.repeat(32), digest: 'sha256:' + 'cd'.repeat(32), size: 1, uncompressedSize: 2, counts: { added: 1, modified: 0, deleted: 0 } };
  const events: BuildEvent[] = [
    { type: 'build-start', buildId: 'b', dockerfile: 'Dockerfile', context: '/c', time: 0, steps: [{ index: 0, stage: '0', instruction: 'COPY . /app', range }, { index: 1, stage: '0', instruction: 'RUN make', range }] },
    { type: 'step-start', buildId: 'b', step: 0, time: 0 },
    { type: 'step-end', buildId: 'b', step: 0, cached: true, durationMs: 1, layer },
    { type: 'step-start', buildId: 'b', step: 1, time: 0 },
    { type: 'step-log', buildId: 'b', step: 1, stream: 'stdout', text: 'compiling' },
    { type: 'step-end', buildId: 'b', step: 1, cached: false, durationMs: 5 },
    { type: 'build-end', buildId: 'b', imageId: 'sha256:' + '12'.repeat(32), tags: ['docker.io/library/app:1', 'localhost:5000/x:2'], durationMs: 9 },
  ];
  assert.deepEqual(events.flatMap(t), [
    { stream: 'Step 1/2 : COPY . /app\n' },
    { stream: ' ---> Using cache\n' },
    { stream: ` ---> ${'ab'.repeat(6)}\n` },
    { stream: 'Step 2/2 : RUN make\n' },
    { stream: 'compiling\n' },
    { aux: { ID: 'sha256:' + '12'.repeat(32) } },
    { stream: `Successfully built ${'12'.repeat(6)}\n` },
    { stream: 'Successfully tagged app:1\n' },
    { stream: 'Successfully tagged localhost:5000/x:2\n' },
  ]);
  assert.deepEqual(t({ type: 'build-error', buildId: 'b', message: 'boom', exitCode: 3 }), [{ errorDetail: { code: 3, message: 'boom' }, error: 'boom' }]);
});

test('RUN spec: user from the layers\' passwd, env with PATH and HOME, network none makes a namespace', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-runspec-'));
  try {
    const layer = path.join(dir, 'layer');
    fs.mkdirSync(path.join(layer, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(layer, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\napp:x:1001:1002::/home/app:/bin/sh\n');
    fs.writeFileSync(path.join(layer, 'etc/group'), 'app:x:1002:\nextra:x:77:app\n');
    const base = { lowers: [layer], imageLowers: [layer], dir, upper: path.join(dir, 'u'), work: path.join(dir, 'w'), hostname: 'h', onOutput: () => undefined };
    const run = { args: ['/bin/sh', '-c', 'true'], heredocs: [], files: [], mounts: [], mountSources: [], env: ['A=1'] };
    const spec = runSpec({ ...base, run, user: 'app', workdir: '/src' });
    assert.deepEqual([spec.process.user.uid, spec.process.user.gid, spec.process.user.additionalGids], [1001, 1002, [77]]);
    assert.equal(spec.process.cwd, '/src');
    assert.ok(spec.process.env.some((e) => e.startsWith('PATH=')));
    assert.ok(spec.process.env.includes('HOME=/home/app'));
    assert.ok(!spec.linux.namespaces.some((n) => n.type === 'network'), 'default: the host network');
    const none = runSpec({ ...base, run: { ...run, network: 'none' } });
    assert.ok(none.linux.namespaces.some((n) => n.type === 'network'));
    assert.throws(() => runSpec({ ...base, run: { ...run, network: 'bridge' } }), /--network=bridge is not supported/);
    assert.throws(() => runSpec({ ...base, run, user: 'ghost' }), /unable to find user ghost/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('cache index: entries by key, the last description per slot, cleared', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cache-'));
  try {
    const cache = new BuildCache(dir);
    const description = { version: 'v1' as const, parent: 'scratch', platform: 'linux/amd64', kind: 'run' as const, instruction: {}, args: {}, env: {} };
    const key = 'sha256:' + 'ef'.repeat(32);
    assert.equal(cache.get(key), undefined);
    cache.put({ key, description, created: '2026-01-01T00:00:00Z' });
    assert.equal(cache.get(key)?.created, '2026-01-01T00:00:00Z');
    const slot = BuildCache.slot('/ctx/Dockerfile', 0, 2);
    assert.notEqual(slot, BuildCache.slot('/ctx/Dockerfile', 0, 3));
    cache.remember(slot, key);
    assert.deepEqual(cache.lastAt(slot), description);
    fs.writeFileSync(path.join(dir, 'keys', `${'aa'.repeat(32)}.json`), '{"cut short');
    assert.equal(cache.get('sha256:' + 'aa'.repeat(32)), undefined, 'a torn entry is a miss');
    cache.clear();
    assert.equal(cache.get(key), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
