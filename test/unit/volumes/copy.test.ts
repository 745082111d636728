import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VolumeStore } from '../../../runtime/volumes';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-volcopy-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

function layer(name: string, files: Record<string, string | { link: string } | { dir: true }>): string {
  const root = path.join(tmp, name);
  for (const [rel, v] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (typeof v === 'string') fs.writeFileSync(p, v);
    else if ('link' in v) fs.symlinkSync(v.link, p);
    else fs.mkdirSync(p, { recursive: true });
  }
  return root;
}

function tree(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
    const r = path.join(rel, name);
    const st = fs.lstatSync(path.join(dir, r));
    if (st.isDirectory()) out.push(`${r}/`, ...tree(dir, r));
    else if (st.isSymbolicLink()) out.push(`${r} -> ${fs.readlinkSync(path.join(dir, r))}`);
    else out.push(`${r} = ${fs.readFileSync(path.join(dir, r), 'utf8')}`);
  }
  return out;
}

test('prefill copies the merged image view: upper wins, whiteouts hide, opaque dirs cut, symlinks kept', () => {
  const lower = layer('lower', {
    'var/data/a.txt': 'lower-a', 'var/data/b.txt': 'lower-b', 'var/data/gone.txt': 'x',
    'var/data/sub/deep.txt': 'deep', 'var/data/opq/old.txt': 'old', 'etc/other': 'not copied',
  });
  const upper = layer('upper', {
    'var/data/a.txt': 'upper-a', 'var/data/.wh.gone.txt': '', 'var/data/sub/new.txt': 'new',
    'var/data/opq/.wh..wh..opq': '', 'var/data/opq/fresh.txt': 'fresh', 'var/data/link': { link: 'a.txt' },
  });
  fs.chmodSync(path.join(lower, 'var/data/b.txt'), 0o640);
  fs.chmodSync(path.join(upper, 'var/data'), 0o750);
  if (isRoot) fs.chownSync(path.join(lower, 'var/data/b.txt'), 1234, 5678);

  const store = new VolumeStore(path.join(tmp, 'state'));
  store.create({ Name: 'data' });
  assert.equal(store.prefill('data', [upper, lower], '/var/data'), true);
  const data = store.dataPath('data');
  assert.deepEqual(tree(data), [
    'a.txt = upper-a', 'b.txt = lower-b', 'link -> a.txt',
    'opq/', 'opq/fresh.txt = fresh',
    'sub/', 'sub/deep.txt = deep', 'sub/new.txt = new',
  ]);
  assert.equal(fs.statSync(path.join(data, 'b.txt')).mode & 0o777, 0o640);
  assert.equal(fs.statSync(data).mode & 0o777, 0o750, 'the volume root takes the image directory\'s mode');
  if (isRoot) assert.deepEqual([fs.statSync(path.join(data, 'b.txt')).uid, fs.statSync(path.join(data, 'b.txt')).gid], [1234, 5678]);

  // A volume with content is never overwritten (a reused named volume keeps its data).
  fs.writeFileSync(path.join(data, 'a.txt'), 'mine');
  assert.equal(store.prefill('data', [upper, lower], '/var/data'), false);
  assert.equal(fs.readFileSync(path.join(data, 'a.txt'), 'utf8'), 'mine');
});

test('prefill: a path missing from the image, or hidden by a whiteout, copies nothing', () => {
  const lower = layer('l2', { 'srv/x': '1' });
  const upper = layer('u2', { '.wh.srv': '' });
  const store = new VolumeStore(path.join(tmp, 'state2'));
  store.create({ Name: 'v1' });
  store.create({ Name: 'v2' });
  store.prefill('v1', [upper, lower], '/srv');
  store.prefill('v2', [lower], '/nowhere');
  assert.deepEqual(fs.readdirSync(store.dataPath('v1')), []);
  assert.deepEqual(fs.readdirSync(store.dataPath('v2')), []);
  // ".." cannot climb out of the image: "/../srv" is the image's /srv.
  store.create({ Name: 'v3' });
  store.prefill('v3', [lower], '/../srv');
  assert.deepEqual(fs.readdirSync(store.dataPath('v3')), ['x']);
});
