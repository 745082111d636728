// /system/df's containers, volumes and build cache, computed from directories made in a temp dir:
// Docker's directory sizes (files once per inode, directories not counted), volume reference
// counts from container mounts, and the build cache records of cache mounts and cached steps.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCacheUsage, containerUsage, stepDescription, treeSize, volumeRefCounts, volumeUsage } from '../../../../runtime/service/parts/disk-usage';
import type { ContainerRecord } from '../../../../runtime/container/state';
import type { Volume } from '../../../../runtime/volumes';

let dir: string;
before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-disk-usage-')); });
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function tree(name: string, files: Record<string, number>, links: Record<string, string> = {}): string {
  const root = path.join(dir, name);
  fs.mkdirSync(root, { recursive: true });
  for (const [f, size] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), Buffer.alloc(size));
  }
  for (const [link, target] of Object.entries(links)) {
    if (target.startsWith('->')) fs.symlinkSync(target.slice(2), path.join(root, link));
    else fs.linkSync(path.join(root, target), path.join(root, link));
  }
  return root;
}

const sizes: Array<{ name: string; files: Record<string, number>; links?: Record<string, string>; want: number }> = [
  { name: 'empty', files: {}, want: 0 },
  { name: 'flat', files: { a: 100, b: 23 }, want: 123 },
  { name: 'nested', files: { 'x/y/z': 4000, 'x/w': 1 }, want: 4001 },
  { name: 'hardlink', files: { a: 1000 }, links: { b: 'a' }, want: 1000 },
  { name: 'symlink', files: { a: 10 }, links: { s: '->/etc/passwd-is-not-followed' }, want: 10 + '/etc/passwd-is-not-followed'.length },
];
for (const c of sizes) {
  test(`treeSize ${c.name}: ${c.want}`, () => assert.equal(treeSize(tree(`size-${c.name}`, c.files, c.links)), c.want));
}
test('treeSize of a missing directory is 0', () => assert.equal(treeSize(path.join(dir, 'missing')), 0));

function record(name: string, mounts: Array<{ Type: 'bind' | 'volume' | 'tmpfs'; Name?: string }>, upper?: string): ContainerRecord {
  return {
    version: 1, id: `${name}-id`.padEnd(64, '0'), name, created: new Date(0).toISOString(), image: 'img:1', imageId: 'sha256:img', config: {} as ContainerRecord['config'],
    hostConfig: {} as ContainerRecord['hostConfig'], path: 'sh', args: [], ports: [], restartCount: 0, logPath: '',
    state: { status: 'running', pid: 1, exitCode: 0, error: '', oomKilled: false, startedAt: '', finishedAt: '' },
    mounts: mounts.map((m) => ({ Source: '', Destination: '/d', Mode: '', RW: true, Propagation: '', ...m })),
    ...(upper ? { rootfs: { upperDir: upper, lowerDirs: [], workDir: '', mergedDir: '' } } : {}),
  } as ContainerRecord;
}

test('volume reference counts: one per container that mounts the volume, binds and tmpfs ignored', () => {
  const counts = volumeRefCounts([
    record('a', [{ Type: 'volume', Name: 'data' }, { Type: 'volume', Name: 'logs' }, { Type: 'bind' }]),
    record('b', [{ Type: 'volume', Name: 'data' }, { Type: 'volume', Name: 'data' }]),
    record('c', [{ Type: 'tmpfs' }]),
  ]);
  assert.deepEqual(Object.fromEntries(counts), { data: 2, logs: 1 });
});

test('a container\'s SizeRw is its upper dir, SizeRootFs adds its image', () => {
  const upper = tree('upper', { 'written.bin': 5000, 'etc/x': 5 });
  const u = containerUsage(record('web', [], upper), 1_000_000);
  assert.equal(u.SizeRw, 5005);
  assert.equal(u.SizeRootFs, 1_005_005);
  assert.deepEqual(u.Names, ['/web']);
  assert.equal(containerUsage(record('norootfs', []), 7).SizeRw, 0);
});

test('a volume\'s UsageData: the bytes of its data and its reference count', () => {
  const data = tree('vol/_data', { f: 321 });
  const vol: Volume = { CreatedAt: '', Driver: 'local', Labels: {}, Mountpoint: data, Name: 'vol', Options: null, Scope: 'local' };
  assert.deepEqual(volumeUsage(vol, 2).UsageData, { Size: 321, RefCount: 2 });
});

test('build cache: cache mounts and cached steps; a step whose layer an image uses is shared', () => {
  const root = path.join(dir, 'build-cache');
  const mountKey = 'a'.repeat(64);
  tree(`build-cache/mounts/${mountKey}`, { '0/blob': 3000, '1/blob': 10 });
  fs.writeFileSync(path.join(root, 'mounts', mountKey, 'meta.json'), JSON.stringify({ id: 'apt', created: '2026-01-01T00:00:00.000Z' }));
  tree(`build-cache/mounts/${'b'.repeat(64)}`, { '0/half-made': 1 }); // no meta.json: skipped
  fs.mkdirSync(path.join(root, 'keys'), { recursive: true });
  const steps = [
    { key: `sha256:${'1'.repeat(64)}`, description: { parent: 'image:sha256:x', kind: 'run', instruction: 'echo hi' }, layer: { digest: 'sha256:l1', size: 400 }, created: '2026-01-02T00:00:00Z' },
    { key: `sha256:${'2'.repeat(64)}`, description: { parent: `sha256:${'1'.repeat(64)}`, kind: 'copy', instruction: { src: ['a'] } }, layer: { digest: 'sha256:l2', size: 50 }, created: '2026-01-03T00:00:00Z' },
    { key: `sha256:${'3'.repeat(64)}`, description: { parent: `sha256:${'2'.repeat(64)}`, kind: 'env', instruction: 'A=1' }, created: '2026-01-04T00:00:00Z' },
  ];
  for (const s of steps) fs.writeFileSync(path.join(root, 'keys', `${s.key.slice(7)}.json`), JSON.stringify(s));
  fs.writeFileSync(path.join(root, 'keys', 'broken.json'), '{"key":'); // a crash mid-write: skipped
  const records = buildCacheUsage(root, new Set(['sha256:l1']));
  const view = records.map((r) => [r.Type, r.ID, r.Description, r.Size, r.Shared, r.Parents, r.UsageCount]);
  assert.deepEqual(view, [
    ['exec.cachemount', 'a'.repeat(25), 'cached mount apt', 3010 + fs.statSync(path.join(root, 'mounts', mountKey, 'meta.json')).size, false, null, 2],
    ['regular', '1'.repeat(25), 'RUN echo hi', 400, true, null, 1],
    ['regular', '2'.repeat(25), 'COPY {"src":["a"]}', 50, false, ['1'.repeat(25)], 1],
    ['regular', '3'.repeat(25), 'ENV A=1', 0, false, ['2'.repeat(25)], 1],
  ]);
  assert.equal(records[0].CreatedAt, '2026-01-01T00:00:00.000Z');
  assert.ok(records.every((r) => !r.InUse && r.LastUsedAt));
  assert.deepEqual(buildCacheUsage(path.join(dir, 'no-cache-yet'), new Set()), []);
});

test('step descriptions are one line, cut at 200 characters', () => {
  assert.equal(stepDescription(undefined), '');
  assert.equal(stepDescription({ kind: 'workdir', instruction: '/app' }), 'WORKDIR /app');
  const long = stepDescription({ kind: 'run', instruction: 'x'.repeat(500) });
  assert.equal(long.length, 200);
  assert.ok(long.endsWith('…'));
});
