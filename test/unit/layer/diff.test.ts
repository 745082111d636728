import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diffTrees, compareTarPaths } from '../../../runtime/layer/diff';
import { extractTar } from '../../../runtime/layer/extract';
import { noSpecialFs } from '../../../runtime/layer/special-fs';
import { tarStream } from '../../../runtime/layer/writer';

function describeTree(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(path.join(root, r));
      const kind = st.isDirectory() ? 'd' : st.isSymbolicLink() ? `l>${fs.readlinkSync(path.join(root, r))}` : `f:${fs.readFileSync(path.join(root, r), 'utf8')}`;
      out.push(`${r} ${(st.mode & 0o7777).toString(8)} ${kind}`);
      if (st.isDirectory()) walk(r);
    }
  };
  walk('');
  return out;
}

test('diffTrees: the layer turns lower into upper when applied; changes list what differs', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-difftrees-'));
  try {
    const lower = path.join(dir, 'lower'), upper = path.join(dir, 'upper'), target = path.join(dir, 'target');
    const w = (root: string, p: string, data: string) => { fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true }); fs.writeFileSync(path.join(root, p), data); };
    for (const root of [lower]) {
      w(root, 'keep/same', 'same');
      w(root, 'keep/changed', 'v1');
      w(root, 'keep/touched', 'same content');
      w(root, 'gone/deep/file', 'x');
      w(root, 'gonefile', 'x');
      w(root, 'mode', 'm');
      fs.symlinkSync('a', path.join(root, 'link'));
    }
    execFileSync('cp', ['-a', lower, upper]);
    fs.writeFileSync(path.join(upper, 'keep/changed'), 'v2');
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(upper, 'keep/touched'), later, later); // new mtime, same bytes: not a change
    fs.rmSync(path.join(upper, 'gone'), { recursive: true });
    fs.rmSync(path.join(upper, 'gonefile'));
    fs.chmodSync(path.join(upper, 'mode'), 0o600);
    fs.rmSync(path.join(upper, 'link'));
    fs.symlinkSync('b', path.join(upper, 'link'));
    w(upper, 'added/new', 'new');

    const diff = await diffTrees(lower, upper, { special: noSpecialFs });
    assert.deepEqual(diff.changes.map((c) => `${c.kind} ${c.path}`), [
      'added /added', 'added /added/new', 'deleted /gone', 'deleted /gonefile', 'modified /keep/changed', 'modified /link', 'modified /mode',
    ]);
    const paths = diff.items.map((i) => i.entry.path);
    assert.deepEqual(paths, [...paths].sort(compareTarPaths), 'tar order');
    assert.ok(paths.includes('keep'), 'the parent of a changed file travels with the layer');
    assert.ok(!paths.includes('keep/same') && !paths.includes('keep/touched'));
    assert.ok(paths.includes('.wh.gone') && !paths.some((p) => p.startsWith('gone/')), 'one whiteout for a deleted directory');

    execFileSync('cp', ['-a', lower, target]);
    await extractTar(tarStream(diff.items), target, { whiteouts: 'apply', special: noSpecialFs, sameOwner: false });
    assert.deepEqual(describeTree(target), describeTree(upper));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('compareTarPaths orders segment by segment: a parent first, then siblings by code unit', () => {
  // The segment-wise definition it must agree with (it compares characters, "/" lowest).
  const reference = (a: string, b: string): number => {
    const pa = a.split('/'), pb = b.split('/');
    for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
    return Math.sign(pa.length - pb.length);
  };
  const paths = ['a', 'a/b', 'a-b', 'a.b', 'a/b/c', 'ab', 'a/bc', 'a/b-c', 'b', 'B', 'a0', 'é', 'a/é', 'x/y/z', 'x/y-z', 'x/y', '.wh.a', 'a/.wh..wh..opq'];
  for (const a of paths) for (const b of paths) assert.equal(Math.sign(compareTarPaths(a, b)), reference(a, b), `${a} vs ${b}`);
  assert.deepEqual(['a-b', 'a/b', 'a', 'ab'].sort(compareTarPaths), ['a', 'a/b', 'a-b', 'ab']);
});
