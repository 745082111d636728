// The direct COPY layer (copy-layer.ts) against the copy it replaces: for each row, the same
// planned COPY is done both ways over the same stage (FROM scratch, or lower dirs mounted as
// an overlay) — performCopy into the upper dir + diffUpperDir, and copyLayer from the selection
// — and the tar entries (path, type, mode, owner, size, content, link target, xattrs, file
// mtimes) and change lists must be equal. Rows the direct path cannot reproduce must give
// undefined (the executor then copies). Needs root (chown, overlay mounts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { privileged } from '../../helpers/tiers';
import { IgnoreMatcher, selectCopySources } from '../../../runtime/build/context';
import { copyLayer } from '../../../runtime/build/executor/copy-layer';
import { performCopy } from '../../../runtime/build/executor/copy';
import { mountOverlay } from '../../../runtime/build/executor/mounts';
import { planBuild } from '../../../runtime/build/plan/plan';
import { parseInstructions } from '../../../runtime/dockerfile/instructions';
import { diffUpperDir } from '../../../runtime/layer/diff';
import { defaultSpecialFs } from '../../../runtime/layer/syscall-special-fs';
import type { LayerItem } from '../../../runtime/layer/tree';
import { LibcSyscalls } from '../../../runtime/linux/libc';

/** A lower layer: path → content, "dir/" for a directory, "->target" for a symlink, "WHITEOUT". */
type Tree = Record<string, string | { content?: string; mode: number; uid?: number; gid?: number }>;

interface Row {
  name: string;
  copy: string;
  /** Lower layers, topmost first (none: FROM scratch). */
  lowers?: Tree[];
  ignore?: string[];
  /** undefined: the direct layer must match the copy; 'fallback': copyLayer must say no. */
  expect?: 'fallback';
}

const rows: Row[] = [
  { name: 'COPY . /data from scratch', copy: 'COPY . /data' },
  { name: 'COPY . / (the root itself)', copy: 'COPY . /' },
  { name: 'files and a directory into a new dir, --chown and --chmod', copy: 'COPY --chown=1000:50 --chmod=640 a.txt sub /dst/' },
  { name: 'symbolic --chmod on files and dirs', copy: 'COPY --chmod=u+x,go-w,a+X . /x/' },
  { name: 'one file renamed', copy: 'COPY a.txt /renamed' },
  { name: 'a glob', copy: 'COPY sub/*.txt /g/' },
  { name: '--parents (parent directories made from the sources\'): left to performCopy', copy: 'COPY --parents sub/deep/*.txt a.txt /p/', expect: 'fallback' },
  { name: 'two directories merged into one destination', copy: 'COPY sub other /m/' },
  { name: '.dockerignore with an exception', copy: 'COPY . /i', ignore: ['sub', '!sub/deep'] },
  { name: 'into an existing directory (keeps its metadata, copied up)', copy: 'COPY sub /app/', lowers: [{ 'app/': { mode: 0o750, uid: 5, gid: 6 }, 'app/old.txt': 'old' }] },
  { name: '--chown by name, resolved in the image', copy: 'COPY --chown=app:staff a.txt /app/', lowers: [{ 'app/': 'dir', 'etc/passwd': 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n', 'etc/group': 'root:x:0:\nstaff:x:50:\n' }] },
  { name: 'a file replacing a file of the image', copy: 'COPY a.txt /app/old.txt', lowers: [{ 'app/': 'dir', 'app/old.txt': 'old' }] },
  { name: 'a new directory deep inside existing ones', copy: 'COPY sub /usr/local/share/new/', lowers: [{ 'usr/local/share/': 'dir', 'usr/local/bin/tool': 'x' }] },
  { name: 'a directory over the image\'s directory (mode and owner replaced)', copy: 'COPY . /srv/', lowers: [{ 'srv/sub/': { mode: 0o700, uid: 7, gid: 7 } }] },
  { name: 'an existing directory of two lower layers', copy: 'COPY a.txt /opt/x/', lowers: [{ 'opt/x/': 'dir' }, { 'opt/': { mode: 0o711 } }] },
  { name: 'a directory where the image has a file', copy: 'COPY sub /app/old.txt', lowers: [{ 'app/old.txt': 'old' }], expect: 'fallback' },
  { name: 'a directory over a whiteout of a lower layer', copy: 'COPY sub /gone/', lowers: [{ gone: 'WHITEOUT' }, { 'gone/': 'dir', 'gone/f': 'f' }], expect: 'fallback' },
  { name: 'a new directory inside a setgid directory', copy: 'COPY a.txt /shared/new/', lowers: [{ 'shared/': { mode: 0o2775, gid: 50 } }], expect: 'fallback' },
];

let dir = '';
let context = '';
const sys = new LibcSyscalls();
const special = defaultSpecialFs();

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-copy-layer-'));
  context = path.join(dir, 'ctx');
  const files: Record<string, string> = { 'a.txt': 'alpha\n', 'b.sh': '#!/bin/sh\n', 'sub/one.txt': '1', 'sub/deep/two.txt': '22', 'other/three.txt': '333', 'other/sub-not': 'x' };
  for (const [f, c] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(context, f)), { recursive: true });
    fs.writeFileSync(path.join(context, f), c);
  }
  fs.mkdirSync(path.join(context, 'empty'));
  fs.chmodSync(path.join(context, 'b.sh'), 0o4755); // setuid survives COPY, as in Docker
  fs.chmodSync(path.join(context, 'sub/deep'), 0o700);
  fs.symlinkSync('deep/two.txt', path.join(context, 'sub/link'));
  fs.symlinkSync('/etc/passwd', path.join(context, 'abs-link'));
  execFileSync('mkfifo', [path.join(context, 'fifo')]);
  fs.utimesSync(path.join(context, 'a.txt'), 1_000_000, 1_000_000);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function makeTree(root: string, tree: Tree): void {
  fs.mkdirSync(root, { recursive: true });
  for (const [p, spec] of Object.entries(tree)) {
    const abs = path.join(root, p);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (spec === 'WHITEOUT') { sys.mknod(abs, 0o20000, 0, 0); continue; }
    const meta = typeof spec === 'string' ? undefined : spec;
    if (p.endsWith('/')) fs.mkdirSync(abs, { recursive: true });
    else if (typeof spec === 'string' && spec.startsWith('->')) fs.symlinkSync(spec.slice(2), abs);
    else fs.writeFileSync(abs, meta?.content ?? (spec as string));
    if (meta) {
      fs.chmodSync(abs, meta.mode);
      fs.lchownSync(abs, meta.uid ?? 0, meta.gid ?? 0);
      fs.chmodSync(abs, meta.mode); // chown clears setgid on some file systems
    }
  }
}

/** What a tar entry says, with file content as a digest; directory and symlink mtimes left out (see copy-layer.ts). */
function shape(items: LayerItem[]): unknown[] {
  return items.map(({ entry, source, data }) => ({
    path: entry.path, type: entry.type, mode: entry.mode.toString(8), uid: entry.uid, gid: entry.gid, size: entry.size,
    linkname: entry.linkname, xattrs: Object.keys(entry.xattrs ?? {}).sort(),
    ...(entry.type === 'file' ? { mtime: entry.mtime, content: createHash('sha256').update(data ?? (entry.size > 0 ? fs.readFileSync(source!) : '')).digest('hex').slice(0, 12) } : {}),
  }));
}

describe('direct COPY layer = copy into the upper dir + diff', () => {
  let n = 0;
  for (const row of rows) {
    test(row.name, privileged, async () => {
      const caseDir = path.join(dir, `case${n++}`);
      const lowers = (row.lowers ?? []).map((t, i) => { const d = path.join(caseDir, `lower${i}`); makeTree(d, t); return d; });
      const step = planBuild(parseInstructions(`FROM scratch\n${row.copy}\n`)).target.steps[0]!;
      const copy = step.copy!;
      const selection = await selectCopySources(context, copy, new IgnoreMatcher(row.ignore ?? []));
      const kind = 'copy' as const;

      const directView = mountOverlay(sys, path.join(caseDir, 'direct'), lowers);
      let direct;
      try {
        direct = await copyLayer({ root: directView.merged, lowerDirs: lowers, copy, kind, selection, special });
      } finally { directView.release(); }
      assert.deepEqual(fs.readdirSync(directView.upper), [], 'copyLayer writes nothing');
      if (row.expect === 'fallback') { assert.equal(direct, undefined); return; }
      assert.ok(direct, 'copyLayer gives a layer');

      const view = mountOverlay(sys, path.join(caseDir, 'copied'), lowers);
      try {
        await performCopy({ root: view.merged, copy, kind, selection, special });
      } finally { view.release(); }
      const copied = await diffUpperDir(view.upper, lowers, { special });
      assert.deepEqual(shape(direct.items), shape(copied.items));
      assert.deepEqual(direct.changes, copied.changes);
      // Directories the COPY made or changed get the newest mtime of what it wrote (deterministic).
      const newest = Math.max(...selection.matches.flat().flatMap((m) => m.entries).filter((e) => e.type !== 'other').map((e) => e.mtime));
      for (const { entry } of direct.items) if (entry.type === 'directory') assert.ok(entry.mtime <= newest, `${entry.path} mtime`);
    });
  }
});

test('the same context gives the same direct layer twice (no build-time timestamps)', privileged, async () => {
  const step = planBuild(parseInstructions('FROM scratch\nCOPY . /data\n')).target.steps[0]!;
  const root = fs.mkdtempSync(path.join(dir, 'empty-root-'));
  const layer = async () => {
    const selection = await selectCopySources(context, step.copy!, new IgnoreMatcher([]));
    return (await copyLayer({ root, lowerDirs: [], copy: step.copy!, kind: 'copy', selection, special }))!.items.map((i) => i.entry);
  };
  const first = await layer();
  await new Promise((r) => setTimeout(r, 1100));
  assert.deepEqual(await layer(), first);
});

test('ADD of a tar archive is left to performCopy (it unpacks)', privileged, async () => {
  const ctx = path.join(dir, 'addctx');
  fs.mkdirSync(ctx);
  execFileSync('tar', ['-C', context, '-cf', path.join(ctx, 'x.tar'), 'a.txt']);
  fs.writeFileSync(path.join(ctx, 'plain.txt'), 'plain');
  const [addTar, addPlain] = planBuild(parseInstructions('FROM scratch\nADD x.tar /x/\nADD plain.txt /p/\n')).target.steps;
  const root = fs.mkdtempSync(path.join(dir, 'add-root-'));
  const run = async (s: typeof addTar) => copyLayer({ root, lowerDirs: [], copy: s!.copy!, kind: 'add', selection: await selectCopySources(ctx, s!.copy!, new IgnoreMatcher([])), special });
  assert.equal(await run(addTar), undefined);
  assert.deepEqual((await run(addPlain))?.items.map((i) => i.entry.path), ['p', 'p/plain.txt']);
});
