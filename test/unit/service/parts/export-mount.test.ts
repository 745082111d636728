// The export mount's overlay options: the container's upper dir on top of its lower dirs, and,
// when a long layer chain does not fit in mount(2)'s one page, the store's short links instead
// of the layers' diff directories (a store laid out as image/layers.ts does, in a temp dir).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportMountOptions, storeLink } from '../../../../runtime/service/parts/container-images';
import { shortId } from '../../../../runtime/image/layers';

let store: string;
const diffOf = (i: number) => path.join(store, 'layers', i.toString(16).padStart(64, '0'), 'diff');

before(() => {
  store = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-export-mount-'));
  for (let i = 0; i < 80; i++) {
    fs.mkdirSync(diffOf(i), { recursive: true });
    fs.writeFileSync(path.join(path.dirname(diffOf(i)), 'link'), shortId(`sha256:${i}`));
  }
  fs.mkdirSync(path.join(store, 'layers', 'nolink', 'diff'), { recursive: true });
});
after(() => fs.rmSync(store, { recursive: true, force: true }));

test('storeLink: <store>/l/<ID> for an unpacked layer, nothing for other directories', () => {
  assert.equal(storeLink(diffOf(3)), path.join(store, 'l', shortId('sha256:3')));
  for (const dir of [path.join(store, 'layers', 'nolink', 'diff'), path.join(store, 'containers', 'abc', 'upper'), path.dirname(diffOf(3)), '/']) {
    assert.equal(storeLink(dir), undefined, dir);
  }
});

const upper = '/var/lib/slipway/containers/' + 'c'.repeat(64) + '/upper';
const init = '/var/lib/slipway/containers/' + 'c'.repeat(64) + '/init';
const layers = (n: number) => [init, ...Array.from({ length: n }, (_, i) => diffOf(i))];

const cases: Array<{ name: string; lowers: () => string[]; want: (opts: string) => void }> = [
  { name: 'a short chain: the diff directories as they are', lowers: () => layers(3), want: (o) => assert.equal(o, `lowerdir=${[upper, ...layers(3)].join(':')}`) },
  {
    name: '50 layers: the short links, the container\'s own dirs unchanged', lowers: () => layers(50), want: (o) => {
      const dirs = o.slice('lowerdir='.length).split(':');
      assert.deepEqual(dirs.slice(0, 2), [upper, init]);
      assert.deepEqual(dirs.slice(2), Array.from({ length: 50 }, (_, i) => path.join(store, 'l', shortId(`sha256:${i}`))));
      assert.ok(o.length < 4096);
    },
  },
];
for (const c of cases) test(`export mount options, ${c.name}`, () => c.want(exportMountOptions(upper, c.lowers())));

test('export mount options over one page even with short links: an error naming the layer count', () => {
  assert.throws(() => exportMountOptions(upper, layers(50), () => undefined), /cannot export a container of 51 layers: the overlay mount options are \d+ bytes, over the 4095-byte limit/);
});
