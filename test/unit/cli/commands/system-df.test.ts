// `slipway system df [-v]` rendering: the docker CLI's formulas for active, size and reclaimable
// (docker/cli formatter/disk_usage.go), integer percentages, decimal sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanSize, renderDf, renderDfVerbose, type Df, type DfBuildCache, type DfContainer } from '../../../../runtime/cli/commands/system-df';

const sizes: Array<[number, string]> = [[0, '0B'], [999, '999B'], [1000, '1kB'], [5000, '5kB'], [10_240, '10.24kB'], [16_430_000, '16.43MB'], [2.5e9, '2.5GB']];
for (const [n, want] of sizes) test(`humanSize(${n}) = ${want}`, () => assert.equal(humanSize(n), want));

const container = (name: string, state: string, sizeRw: number, volumes = 0): DfContainer => ({
  Id: `${name}`.padEnd(64, '0'), Names: [`/${name}`], Image: 'app:1', Command: 'sleep 600', Created: 0, State: state, Status: state, SizeRw: sizeRw,
  Mounts: [...Array.from({ length: volumes }, () => ({ Type: 'volume', Name: 'v' })), { Type: 'bind' }],
});
const cache = (ID: string, Size: number, InUse: boolean, Shared: boolean): DfBuildCache => ({ ID, Type: 'regular', Size, CreatedAt: '1970-01-01T00:00:00Z', LastUsedAt: null, UsageCount: 1, InUse, Shared });

const empty: Df = { LayersSize: 0, Images: [], Containers: [], Volumes: [], BuildCache: [] };
const full: Df = {
  LayersSize: 1000,
  Images: [
    { Id: 'sha256:aaaaaaaaaaaaaaaa', RepoTags: ['a:1'], Created: 0, Size: 600, SharedSize: 100, Containers: 1 },
    { Id: 'sha256:bbbbbbbbbbbbbbbb', RepoTags: null, Created: 0, Size: 500, SharedSize: 100, Containers: 0 },
  ],
  Containers: [container('up', 'running', 100, 1), container('down', 'exited', 300), container('held', 'paused', 0)],
  Volumes: [{ Name: 'v1', UsageData: { Size: 5000, RefCount: 1 } }, { Name: 'v2', UsageData: { Size: 3000, RefCount: 0 } }, { Name: 'v3', UsageData: { Size: -1, RefCount: 0 } }],
  BuildCache: [cache('in-use', 100, true, false), cache('idle', 200, false, false), cache('shared', 1000, false, true)],
};

const cells = (text: string) => text.trim().split('\n').map((l) => l.trim().split(/ {2,}/));

const tables: Array<{ name: string; df: Df; rows: string[][] }> = [
  { name: 'nothing', df: empty, rows: [['Images', '0', '0', '0B', '0B'], ['Containers', '0', '0', '0B', '0B'], ['Local Volumes', '0', '0', '0B', '0B'], ['Build Cache', '0', '0', '0B', '0B']] },
  { name: 'null kinds (not asked for)', df: { LayersSize: 0, Images: null, Containers: null, Volumes: null, BuildCache: null }, rows: [['Images', '0', '0', '0B', '0B'], ['Containers', '0', '0', '0B', '0B'], ['Local Volumes', '0', '0', '0B', '0B'], ['Build Cache', '0', '0', '0B', '0B']] },
  {
    name: 'one of each kind in use', df: full, rows: [
      // images: used = 600 - 100 of the image with a container; reclaimable 1000 - 500
      ['Images', '2', '1', '1kB', '500B (50%)'],
      // containers: running and paused are active; only the exited one's 300 B is reclaimable
      ['Containers', '3', '2', '400B', '300B (75%)'],
      // volumes: unknown sizes (-1) count as 0; the unreferenced v2 is reclaimable, 3000 * 100 / 8000 = 37
      ['Local Volumes', '3', '1', '8kB', '3kB (37%)'],
      // build cache: shared records are not counted; the one in use is not reclaimable
      ['Build Cache', '3', '1', '300B', '200B'],
    ],
  },
];
for (const t of tables) {
  test(`system df table: ${t.name}`, () => {
    const [header, ...rows] = cells(renderDf(t.df));
    assert.deepEqual(header, ['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE']);
    assert.deepEqual(rows, t.rows);
  });
}

test('system df -v: one table per kind', () => {
  const text = renderDfVerbose(full, 3600_000);
  assert.match(text, /^Images space usage:$/m);
  assert.match(text, /^a\s+1\s+aaaaaaaaaaaa\s+About an hour ago\s+600B\s+100B\s+500B\s+1$/m);
  assert.match(text, /^<none>\s+<none>\s+bbbbbbbbbbbb\s.*\s0$/m);
  assert.match(text, /^up0000000000\s+app:1\s+"sleep 600"\s+1\s+100B\s.*\sup$/m, 'one local volume (the bind is not one)');
  assert.match(text, /^v1\s+1\s+5kB$/m);
  assert.match(text, /^v3\s+0\s+0B$/m);
  assert.match(text, /^Build cache usage: 300B$/m);
  assert.match(text, /^shared\s+regular\s+1kB\s.*\strue$/m);
});
