import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerNode, containerNodes, type ContainerSummary } from '../../../../extension/views/containers/model';
import { imageNodes, layerNodes, shortCreatedBy } from '../../../../extension/views/images/model';
import { ago, size } from '../../../../extension/views/shared/node';
import { volumeNodes } from '../../../../extension/views/volumes/model';

// As GET /containers/json?all=1 answers (Docker's ContainerSummary).
const web: ContainerSummary = {
  Id: '4f66ad9a0b2e5a3c1d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c', Names: ['/web'], Image: 'app:latest', ImageID: 'sha256:11',
  Command: 'python app.py', Created: 1_760_000_000, State: 'running', Status: 'Up 5 minutes',
  Ports: [{ IP: '0.0.0.0', PrivatePort: 5000, PublicPort: 8080, Type: 'tcp' }, { PrivatePort: 9000, Type: 'tcp' }],
};
const old: ContainerSummary = { Id: 'aaaabbbbccccdddd', Names: ['/old'], Image: 'busybox', State: 'exited', Status: 'Exited (3) 2 hours ago', Ports: null };
const anon: ContainerSummary = { Id: '0123456789abcdef0123', Names: null, State: 'paused' };

// [name, summary, label, description, contextValue, icon]
const containerCases: Array<[string, ContainerSummary, string, string, string, string]> = [
  ['running with a published port', web, 'web', 'app:latest · Up 5 minutes · 8080→5000/tcp', 'container.running', 'vm-running'],
  ['exited', old, 'old', 'busybox · Exited (3) 2 hours ago', 'container.stopped', 'vm-outline'],
  ['paused without a name', anon, '0123456789ab', 'paused', 'container.paused', 'debug-pause'],
  ['unknown state', { Id: 'ffff', State: 'zombie' }, 'ffff', 'zombie', 'container.stopped', 'question'],
];
for (const [name, c, label, description, contextValue, icon] of containerCases) {
  test(`container row: ${name}`, () => {
    const n = containerNode(c);
    assert.deepEqual([n.label, n.description, n.contextValue, n.icon?.id, n.containerId], [label, description, contextValue, icon, c.Id]);
  });
}

test('container rows: running first, then by name; tooltip names the command', () => {
  const rows = containerNodes([old, { ...web, Names: ['/zeta'] }, { ...old, Id: 'b', Names: ['/alpha'] }]);
  assert.deepEqual(rows.map((r) => r.label), ['zeta', 'alpha', 'old']);
  assert.match(rows[0].tooltip ?? '', /command: python app\.py/);
});

const now = Date.UTC(2026, 0, 10) ;
test('image rows: one per tag, untagged by id, sizes and ages', () => {
  const rows = imageNodes([
    { Id: 'sha256:aaaa1111bbbb2222', RepoTags: ['app:latest', 'app:1.0'], Created: now / 1000 - 3 * 3600, Size: 12_345_678 },
    { Id: 'sha256:cccc3333dddd4444', RepoTags: ['<none>:<none>'], Created: now / 1000 - 90, Size: 999 },
    { Id: 'sha256:eeee', RepoTags: null, Size: 1_000 },
  ], now);
  assert.deepEqual(rows.map((r) => [r.label, r.description, r.ref, r.contextValue]), [
    ['<none> cccc3333dddd', '999 B · 1 minute ago', 'sha256:cccc3333dddd4444', 'image.untagged'],
    ['<none> eeee', '1.0 kB', 'sha256:eeee', 'image.untagged'],
    ['app:1.0', '12 MB · 3 hours ago', 'app:1.0', 'image.tagged'],
    ['app:latest', '12 MB · 3 hours ago', 'app:latest', 'image.tagged'],
  ]);
  assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'ids are unique');
  assert.ok(rows.every((r) => r.collapsible));
});

test('layer rows: history text as written, size and change counts', () => {
  const rows = layerNodes('sha256:img', [
    { diffID: 'sha256:1111222233334444', size: 900_000, createdBy: 'ADD rootfs.tar / # buildkit', changes: [1, 2, 3] },
    { diffID: 'sha256:5555', size: 100, createdBy: 'RUN |1 V=1 /bin/sh -c make install # buildkit', changes: [] },
    { diffID: 'sha256:6666777788889999', size: 0 },
  ]);
  assert.deepEqual(rows.map((r) => [r.label, r.description]), [
    ['ADD rootfs.tar /', '900 kB · 3 changed paths'],
    ['RUN |1 V=1 make install', '100 B · 0 changed paths'],
    ['666677778888', '0 B'],
  ]);
  assert.deepEqual(rows.map((r) => r.index), [0, 1, 2]);
  assert.deepEqual(rows[1].command, { id: 'slipway.showImageLayers', title: 'Show Layers Preview', args: ['sha256:img'] });
});

const createdBy: Array<[string | undefined, string]> = [
  ['/bin/sh -c #(nop)  CMD ["sh"]', 'CMD ["sh"]'],
  ['/bin/sh -c apk add curl', 'RUN apk add curl'],
  ['RUN /bin/sh -c apt-get update # buildkit', 'RUN apt-get update'],
  ['COPY . /app # buildkit', 'COPY . /app'],
  [undefined, ''],
];
for (const [input, want] of createdBy) test(`createdBy: ${input}`, () => assert.equal(shortCreatedBy(input), want));

test('volume rows from Docker\'s {Volumes, Warnings}, null tolerated', () => {
  const rows = volumeNodes({ Volumes: [{ Name: 'zdata', Driver: 'local', Mountpoint: '/var/lib/slipway/volumes/zdata' }, { Name: 'cache' }] });
  assert.deepEqual(rows.map((r) => [r.label, r.description]), [['cache', 'local'], ['zdata', 'local']]);
  assert.match(rows[1].tooltip ?? '', /\/var\/lib\/slipway\/volumes\/zdata/);
  assert.deepEqual(volumeNodes({ Volumes: null }), []);
});

const agos: Array<[number, string]> = [[5, 'just now'], [61, '1 minute ago'], [7200, '2 hours ago'], [86400 * 8, '1 week ago'], [86400 * 400, '1 year ago']];
for (const [seconds, want] of agos) test(`ago ${seconds}s`, () => assert.equal(ago(now / 1000 - seconds, now), want));
test('size units', () => assert.deepEqual([size(0), size(1500), size(2_500_000_000)], ['0 B', '1.5 kB', '2.5 GB']));
