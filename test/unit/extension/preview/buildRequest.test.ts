import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildQuery, defaultTag, validateTag } from '../../../../extension/preview/buildRequest';

// [name, request, expected query]
const queries: Array<[string, Parameters<typeof buildQuery>[0], Record<string, string | undefined>]> = [
  ['Dockerfile in the context root', { contextDir: '/ws/app', dockerfile: '/ws/app/Dockerfile', tag: 'app:latest' },
    { dockerfile: 'Dockerfile', t: 'app:latest', target: undefined, nocache: undefined, buildargs: undefined }],
  ['nested Dockerfile, target, no cache, build args', { contextDir: '/ws', dockerfile: '/ws/docker/api.Dockerfile', target: 'prod', noCache: true, buildArgs: { V: '1' } },
    { dockerfile: 'docker/api.Dockerfile', t: undefined, target: 'prod', nocache: '1', buildargs: '{"V":"1"}' }],
  ['Dockerfile outside the context stays absolute', { contextDir: '/ws/app', dockerfile: '/ws/other/Dockerfile' },
    { dockerfile: '/ws/other/Dockerfile', t: undefined, target: undefined, nocache: undefined, buildargs: undefined }],
  ['empty build args are left out', { contextDir: '/c', dockerfile: '/c/Dockerfile', buildArgs: {} },
    { dockerfile: 'Dockerfile', t: undefined, target: undefined, nocache: undefined, buildargs: undefined }],
];
for (const [name, req, want] of queries) test(`build query: ${name}`, () => assert.deepEqual(buildQuery(req), want));

const tags: Array<[string, string]> = [
  ['/ws/my-app', 'my-app:latest'],
  ['/ws/My App!', 'my-app:latest'],
  ['/ws/__', 'image:latest'],
  ['/ws/api.v2', 'api.v2:latest'],
];
for (const [dir, want] of tags) test(`default tag of ${dir}`, () => {
  assert.equal(defaultTag(dir), want);
  assert.equal(validateTag(want), undefined, 'the default is itself valid');
});

const checks: Array<[string, boolean]> = [
  ['app', true], ['app:1.0', true], ['registry.local:5000/team/app:dev', true], ['a__b', true],
  ['', false], ['App:latest', false], ['app:', false], ['-app', false], ['app::1', false],
];
for (const [tag, ok] of checks) test(`tag "${tag}" ${ok ? 'valid' : 'invalid'}`, () => {
  const err = validateTag(tag);
  assert.equal(err === undefined, ok, err);
  if (!ok && tag) assert.match(err ?? '', new RegExp(tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});
