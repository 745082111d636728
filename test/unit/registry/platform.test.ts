import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlatform, parsePlatform, platformRank, selectManifest } from '../../../runtime/registry/platform';
import type { Descriptor, Platform } from '../../../runtime/image/types';

const parseCases: Array<[string, string]> = [
  ['linux/amd64', 'linux/amd64'],
  ['linux/x86_64', 'linux/amd64'],
  ['linux/aarch64', 'linux/arm64/v8'],
  ['linux/arm64', 'linux/arm64/v8'],
  ['linux/arm', 'linux/arm/v7'],
  ['linux/arm/6', 'linux/arm/v6'],
  ['arm64', 'linux/arm64/v8'],
  ['Linux/AMD64', 'linux/amd64'],
];
for (const [input, want] of parseCases) test(`parsePlatform ${input} → ${want}`, () => assert.equal(formatPlatform(parsePlatform(input)), want));

for (const bad of ['', 'linux/', 'a/b/c/d', 'linux/amd 64']) {
  test(`parsePlatform rejects "${bad}"`, () => assert.throws(() => parsePlatform(bad), /invalid platform/));
}

const p = (s: string): Platform => parsePlatform(s);
const rankCases: Array<[string, string, number | undefined]> = [
  ['linux/amd64', 'linux/amd64', 0],
  ['linux/arm64', 'linux/arm64/v8', 0],
  ['linux/arm64/v8', 'linux/arm64', 0],
  ['linux/arm/v7', 'linux/arm/v6', 1],
  ['linux/arm/v7', 'linux/arm/v5', 2],
  ['linux/arm/v6', 'linux/arm/v7', undefined],
  ['linux/amd64', 'linux/arm64', undefined],
  ['linux/amd64', 'windows/amd64', undefined],
];
for (const [want, cand, rank] of rankCases) test(`platformRank want ${want} candidate ${cand} → ${rank}`, () => assert.equal(platformRank(p(want), p(cand)), rank));

const d = (platform: Platform, n: number): Descriptor => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${String(n).repeat(64).slice(0, 64)}`, size: n, platform });
const index = [
  d({ os: 'linux', architecture: 'amd64' }, 1),
  d({ os: 'linux', architecture: 'arm', variant: 'v6' }, 2),
  d({ os: 'linux', architecture: 'arm', variant: 'v7' }, 3),
  d({ os: 'linux', architecture: 'arm64', variant: 'v8' }, 4),
  d({ os: 'unknown', architecture: 'unknown' }, 5),
];

const selectCases: Array<[string, number]> = [
  ['linux/amd64', 1], ['linux/arm64', 4], ['linux/arm/v7', 3], ['linux/arm/v6', 2], ['linux/arm/v8', 3],
];
for (const [want, size] of selectCases) test(`selectManifest ${want} picks entry ${size}`, () => assert.equal(selectManifest(index, p(want), 'x').size, size));

test('selectManifest lists the available platforms (not attestations) when none matches', () => {
  assert.throws(() => selectManifest(index, p('linux/s390x'), 'busybox:latest'), (err: Error & { status?: number }) => {
    assert.equal(err.status, 404);
    assert.equal(err.message, 'no matching manifest for linux/s390x in the manifest list entries of busybox:latest (available: linux/amd64, linux/arm/v6, linux/arm/v7, linux/arm64/v8)');
    return true;
  });
});
