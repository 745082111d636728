import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listContainers, parseFilters, type ContainerRecord } from '../../../../runtime/container/state';
import { makeRecord } from './fixtures';

const running = (id: string, name: string, created: string, labels: Record<string, string> = {}) =>
  makeRecord(id, name, { created, state: { status: 'running', pid: 10, exitCode: 0, error: '', oomKilled: false, startedAt: created, finishedAt: '0001-01-01T00:00:00Z' } }, { Image: 'busybox', Cmd: ['sh'], Labels: labels });
const exited = (id: string, name: string, created: string, code: number) =>
  makeRecord(id, name, { created, image: 'alpine:3', imageId: `sha256:${'a'.repeat(64)}`, state: { status: 'exited', pid: 0, exitCode: code, error: '', oomKilled: false, startedAt: created, finishedAt: created } });

const records: ContainerRecord[] = [
  running('aa' + '1'.repeat(62), 'web', '2026-01-01T00:00:03Z', { tier: 'front', env: 'prod' }),
  running('bb' + '1'.repeat(62), 'db', '2026-01-01T00:00:02Z', { tier: 'back' }),
  exited('cc' + '1'.repeat(62), 'job', '2026-01-01T00:00:01Z', 0),
  exited('dd' + '1'.repeat(62), 'failed-job', '2026-01-01T00:00:04Z', 2),
];
const names = (opts: Parameters<typeof listContainers>[1]) => listContainers(records, opts).map((r) => r.name);

const cases: Array<[string, Parameters<typeof listContainers>[1], string[]]> = [
  ['default: running only, newest first', {}, ['web', 'db']],
  ['all: newest first', { all: true }, ['failed-job', 'web', 'db', 'job']],
  ['limit implies all', { limit: 2 }, ['failed-job', 'web']],
  ['status=exited needs no -a', { filters: { status: ['exited'] } }, ['failed-job', 'job']],
  ['status OR', { filters: { status: ['exited', 'running'] } }, ['failed-job', 'web', 'db', 'job']],
  ['name is a regexp on /name', { all: true, filters: { name: ['^/job$'] } }, ['job']],
  ['name substring', { all: true, filters: { name: ['job'] } }, ['failed-job', 'job']],
  ['id prefix', { filters: { id: ['bb'] } }, ['db']],
  ['label key', { filters: { label: ['tier'] } }, ['web', 'db']],
  ['label key=value', { filters: { label: ['tier=back'] } }, ['db']],
  ['labels AND across keys', { filters: { label: ['tier=front'], name: ['db'] } }, []],
  ['ancestor by name', { all: true, filters: { ancestor: ['alpine:3'] } }, ['failed-job', 'job']],
  ['ancestor by id prefix', { all: true, filters: { ancestor: ['aaaaaaaa'] } }, ['failed-job', 'job']],
  ['ancestor through the image store', { all: true, filters: { ancestor: ['busybox:latest'] } }, ['web', 'db']],
  ['exited code', { filters: { exited: ['2'] } }, ['failed-job']],
];
for (const [name, opts, want] of cases) {
  test(`ps: ${name}`, () => assert.deepEqual(names({ ...opts, resolveImage: (ref) => (ref === 'busybox:latest' ? `sha256:${'b'.repeat(64)}` : undefined) }), want));
}

test('parseFilters: both JSON forms, and Docker errors for bad keys and values', () => {
  assert.deepEqual(parseFilters('{"status":["running"],"label":["a=b"]}'), { status: ['running'], label: ['a=b'] });
  assert.deepEqual(parseFilters('{"status":{"exited":true,"running":false}}'), { status: ['exited'] });
  assert.deepEqual(parseFilters(undefined), {});
  assert.throws(() => parseFilters('{"color":["red"]}'), { message: "invalid filter 'color'" });
  assert.throws(() => parseFilters('{"status":["sleeping"]}'), { message: "invalid filter 'status=sleeping'" });
  assert.throws(() => parseFilters('{"exited":["x"]}'), { message: "invalid filter 'exited=x'" });
  assert.throws(() => parseFilters('{bad'), /invalid filters/);
});
