// slipway cp's argument and destination rules (docker's splitCpArg and moby's copy rules),
// and slipway update's flags → the ContainerUpdate body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpDirection, planCopy, sourceName, splitCpArg, type DestKind } from '../../../../runtime/cli/commands/cp-paths';
import { updateRequest } from '../../../../runtime/cli/commands/update';

test('splitCpArg: CONTAINER:PATH, absolute and ./ paths stay local', () => {
  const cases: Array<[string, { container?: string; path: string }]> = [
    ['web:/etc/passwd', { container: 'web', path: '/etc/passwd' }],
    ['web:etc', { container: 'web', path: 'etc' }],
    ['web:', { container: 'web', path: '' }],
    ['/abs/with:colon', { path: '/abs/with:colon' }],
    ['./file:name.txt', { path: './file:name.txt' }],
    ['plain.txt', { path: 'plain.txt' }],
    ['-', { path: '-' }],
  ];
  for (const [arg, want] of cases) assert.deepEqual(splitCpArg(arg), want, arg);
});

test('cpDirection: one side must be a container, not both', () => {
  assert.deepEqual(cpDirection('web:/a', 'out'), { kind: 'from', container: 'web', containerPath: '/a', local: 'out' });
  assert.deepEqual(cpDirection('-', 'web:/tmp'), { kind: 'to', container: 'web', containerPath: '/tmp', local: '-' });
  assert.throws(() => cpDirection('a:/x', 'b:/y'), /copying between containers is not supported/);
  assert.throws(() => cpDirection('x', 'y'), /must specify at least one container source/);
  assert.throws(() => cpDirection(':/x', 'y'), /container name cannot be empty/);
});

test('sourceName: base name, "." for contents', () => {
  const cases: Array<[string, string]> = [['dir', 'dir'], ['a/dir/', 'dir'], ['a/dir/.', '.'], ['.', '.'], ['/x/file.txt', 'file.txt']];
  for (const [p, want] of cases) assert.equal(sourceName(p), want, p);
});

test('planCopy: docker cp\'s destination rules', () => {
  const cases: Array<[string, { name: string; isDir: boolean }, string, DestKind, { dir: string; name: string } | RegExp]> = [
    ['file into an existing dir keeps its name', { name: 'f', isDir: false }, '/d', 'dir', { dir: '/d', name: 'f' }],
    ['file onto a file replaces it', { name: 'f', isDir: false }, '/d/g', 'file', { dir: '/d', name: 'g' }],
    ['file to a missing path takes that name', { name: 'f', isDir: false }, '/d/new', 'missing', { dir: '/d', name: 'new' }],
    ['file to a missing dir path', { name: 'f', isDir: false }, '/d/new/', 'missing', /destination directory \/d\/new\/ must exist/],
    ['file onto a file named as a dir', { name: 'f', isDir: false }, '/d/g/', 'file', /not a directory/],
    ['dir into an existing dir', { name: 'src', isDir: true }, '/d', 'dir', { dir: '/d', name: 'src' }],
    ['dir contents into an existing dir', { name: '.', isDir: true }, '/d', 'dir', { dir: '/d', name: '.' }],
    ['dir to a missing path becomes it', { name: 'src', isDir: true }, '/d/copy', 'missing', { dir: '/d', name: 'copy' }],
    ['dir to a missing path with a slash', { name: 'src', isDir: true }, '/d/copy/', 'missing', { dir: '/d', name: 'copy' }],
    ['dir onto a file', { name: 'src', isDir: true }, '/d/g', 'file', /cannot copy a directory to a file: \/d\/g/],
    ['relative destination', { name: 'f', isDir: false }, 'new', 'missing', { dir: '.', name: 'new' }],
  ];
  for (const [what, src, dst, kind, want] of cases) {
    if (want instanceof RegExp) assert.throws(() => planCopy(src, { path: dst, kind }), want, what);
    else assert.deepEqual(planCopy(src, { path: dst, kind }), want, what);
  }
});

test('update flags → ContainerUpdate; none at all is an error', () => {
  assert.deepEqual(updateRequest({ memory: '64m', 'memory-swap': '-1', cpus: '1.5', 'pids-limit': '-1', restart: 'on-failure:2', 'cpu-shares': '512' }), {
    Memory: 64 * 1024 * 1024, MemorySwap: -1, NanoCpus: 1_500_000_000, PidsLimit: -1, RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 }, CpuShares: 512,
  });
  assert.deepEqual(updateRequest({ 'cpu-period': '50000', 'cpu-quota': '25000', 'memory-reservation': '1g' }), { CpuPeriod: 50000, CpuQuota: 25000, MemoryReservation: 1024 ** 3 });
  assert.throws(() => updateRequest({}), /you must provide one or more flags/);
  assert.throws(() => updateRequest({ memory: 'lots' }), /invalid argument "lots" for "--memory"/);
  assert.throws(() => updateRequest({ 'pids-limit': 'ten' }), /invalid argument "ten" for "--pids-limit"/);
  assert.throws(() => updateRequest({ restart: 'always:3' }), /maximum retry count can only be used with 'on-failure'/);
});
