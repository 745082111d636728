// The rest of docker's ps filters (moby daemon/list.go): before/since by name or id and
// creation order, volume, network, publish/expose with ranges, health, is-task, isolation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listContainers, parseFilters, type ContainerRecord } from '../../../../runtime/container/state';
import { portSet } from '../../../../runtime/container/state/filters';
import type { CreateRequest } from '../../../../runtime/container/config';
import { makeRecord } from './fixtures';

const stateOf = (status: 'running' | 'exited', created: string) => ({ status, pid: status === 'running' ? 10 : 0, exitCode: 0, error: '', oomKilled: false, startedAt: created, finishedAt: created });
const rec = (id: string, name: string, created: string, status: 'running' | 'exited', extra: Partial<ContainerRecord> = {}, body: Partial<CreateRequest> = {}) =>
  makeRecord(id.repeat(64).slice(0, 64), name, { created, state: stateOf(status, created), ...extra }, { Image: 'busybox', Cmd: ['sh'], ...body });

const records: ContainerRecord[] = [
  rec('a', 'web', '2026-01-01T00:00:01.000Z', 'running', {
    ports: [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, proto: 'tcp' }],
    mounts: [{ Type: 'volume', Name: 'webdata', Source: '/s/volumes/webdata/_data', Destination: '/data', Mode: 'z', RW: true, Propagation: '' }],
  }, { ExposedPorts: { '443/tcp': {} } }),
  rec('b', 'db', '2026-01-01T00:00:02.000Z', 'running', {
    mounts: [{ Type: 'bind', Source: '/srv/db', Destination: '/var/lib/db', Mode: '', RW: true, Propagation: 'rprivate' }],
  }, { HostConfig: { NetworkMode: 'host' } }),
  rec('c', 'job', '2026-01-01T00:00:03.000Z', 'exited', {}, { HostConfig: { NetworkMode: 'none' }, Labels: { 'com.docker.swarm.task': '' } }),
  rec('d', 'sick', '2026-01-01T00:00:04.000Z', 'running'),
];
// container:<x> needs the other container at merge time; set the merged mode directly.
records[3].hostConfig = { ...records[3].hostConfig, NetworkMode: 'container:web' };
// The health checker records state.health; the filter reads it.
records[3].state.health = { Status: 'unhealthy', FailingStreak: 3, Log: [] };

const cases: Array<[string, Record<string, string[]>, string[]]> = [
  ['before by name: older running ones', { before: ['sick'] }, ['db', 'web']],
  ['before with status: stopped ones too', { before: ['sick'], status: ['exited', 'running'] }, ['job', 'db', 'web']],
  ['before by id prefix', { before: ['bbbb'] }, ['web']],
  ['since by name: newer running ones', { since: ['web'] }, ['sick', 'db']],
  ['since and before together', { since: ['web'], before: ['sick'] }, ['db']],
  ['since by full id', { since: ['c'.repeat(64)] }, ['sick']],
  ['volume by name', { volume: ['webdata'] }, ['web']],
  ['volume by destination', { volume: ['/var/lib/db'] }, ['db']],
  ['volume by bind source', { volume: ['/srv/db'] }, ['db']],
  ['volume OR', { volume: ['/data', '/srv/db'] }, ['db', 'web']],
  ['volume none matches', { volume: ['nope'] }, []],
  ['network host', { network: ['host'] }, ['db']],
  ['network bridge is the default mode', { network: ['bridge'] }, ['web']],
  ['network container mode', { network: ['container:web'] }, ['sick']],
  ['publish host port', { publish: ['8080'] }, ['web']],
  ['publish with proto', { publish: ['8080/tcp'] }, ['web']],
  ['publish other proto does not match', { publish: ['8080/udp'] }, []],
  ['publish unknown proto matches nothing', { publish: ['8080/icmp'] }, []],
  ['publish range', { publish: ['8000-8100'] }, ['web']],
  ['publish container port is not published', { publish: ['80'] }, []],
  ['expose container port', { expose: ['80'] }, ['web']],
  ['expose from the image config', { expose: ['443/tcp'] }, ['web']],
  ['expose range', { expose: ['400-500'] }, ['web']],
  ['health none: no health check', { health: ['none'] }, ['db', 'web']],
  ['health unhealthy', { health: ['unhealthy'] }, ['sick']],
  ['is-task false', { 'is-task': ['false'] }, ['sick', 'db', 'web']],
  ['is-task true: no swarm, no tasks (a swarm label does not make one)', { 'is-task': ['true'], status: ['exited', 'running'] }, []],
  ['name anchored without the slash', { name: ['^db$'] }, ['db']],
  ['isolation default on Linux', { isolation: ['default'] }, ['sick', 'db', 'web']],
  ['isolation hyperv matches nothing', { isolation: ['hyperv'] }, []],
];
for (const [name, filters, want] of cases) {
  test(`ps filter: ${name}`, () => assert.deepEqual(listContainers(records, { filters }).map((r) => r.name), want));
}

test('ps filter: before/since of an unknown container is a not-found error', () => {
  assert.throws(() => listContainers(records, { filters: { before: ['ghost'] } }), { message: 'No such container: ghost', status: 404 });
  assert.throws(() => listContainers(records, { filters: { since: ['ghost'] } }), { message: 'No such container: ghost' });
});

test('portSet expands ranges and defaults to tcp', () => {
  assert.deepEqual([...portSet('publish', ['80', '53/udp', '7000-7002/tcp'])], ['80/tcp', '53/udp', '7000/tcp', '7001/tcp', '7002/tcp']);
});

const badValues: Array<[string, RegExp]> = [
  ['{"health":["sick"]}', /^Unrecognised filter value for health: sick$/],
  ['{"is-task":["maybe"]}', /invalid filter 'is-task=maybe'/],
  ['{"publish":["80:80"]}', /filter for 'publish' should not contain ':': 80:80/],
  ['{"expose":["http"]}', /^error while looking up for expose http: /],
  ['{"expose":["90-80"]}', /^error while looking up for expose 90-80: /],
  ['{"publish":["0"]}', /^error while looking up for publish 0: /],
  ['{"publish":["80/"]}', /^error while looking up for publish 80\/: /],
];
for (const [json, message] of badValues) {
  test(`parseFilters rejects ${json}`, () => assert.throws(() => parseFilters(json), { message }));
}

test('parseFilters accepts every docker ps key', () => {
  const json = JSON.stringify({ before: ['a'], since: ['b'], volume: ['v'], network: ['host'], publish: ['80'], expose: ['80/udp'], health: ['none'], 'is-task': ['false'], isolation: ['default'] });
  assert.deepEqual(Object.keys(parseFilters(json)), ['before', 'since', 'volume', 'network', 'publish', 'expose', 'health', 'is-task', 'isolation']);
});
