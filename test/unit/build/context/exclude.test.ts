// COPY --exclude and --parents selection, checked against BuildKit's documented examples and
// its exclude_patterns_test.go tree: patterns match relative to what is copied (a matched
// directory, a wildcard's directory), or from the --parents pivot.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseInstructions } from '../../../../runtime/dockerfile/instructions.js';
import { planBuild } from '../../../../runtime/build/plan/plan.js';
import { parentsPivot, selectCopySources } from '../../../../runtime/build/context/index.js';

let root: string;
before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'slipway-exclude-'));
  const files = [
    'dir1/file-101.png', 'dir1/file-102.txt', 'dir1/file-103.jpeg', 'dir2/file-201.pdf', 'dir2/file-202.jpeg', 'dir2/file-203.png',
    'dir3/file-301.mp3', 'dir3/file-302.mpeg', 'dir4/file-401.txt', 'home.txt', 'homer.md', 'homedir/a.txt', 'homedir/b.md',
    'x/a.txt', 'y/a.txt', 'x/y/a.txt', 'x/y/b.txt', 'src/a.txt', 'src/x/b.txt', 'src/x/y/c.txt', 'src/x/y/d.md',
  ];
  for (const f of files) {
    mkdirSync(path.join(root, path.dirname(f)), { recursive: true });
    writeFileSync(path.join(root, f), f);
  }
  symlinkSync('file-401.txt', path.join(root, 'dir4/file-402.txt'));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Every selected path of a COPY line (matches and what is below them), in order. */
async function selected(line: string): Promise<string[]> {
  const copy = planBuild(parseInstructions(`FROM scratch\n${line}\n`)).target.steps[0]!.copy!;
  const sel = await selectCopySources(root, copy);
  return sel.matches.flat().flatMap((m) => m.entries.map((e) => e.path));
}

const rows: Array<[string, string[]]> = [
  // reference.md, COPY --exclude: files starting with "hom", except .txt (and .md) files.
  ['COPY --exclude=*.txt hom* /mydir/', ['homedir', 'homedir/b.md', 'homer.md']],
  ['COPY --exclude=*.txt --exclude=*.md hom* /mydir/', ['homedir']],
  // exclude_patterns_test.go, builder1..builder6.
  ['COPY --exclude=*/*.png --exclude=*/*.jpeg . /1', ['.', 'dir1', 'dir1/file-102.txt', 'dir2', 'dir2/file-201.pdf', 'dir3', 'dir3/file-301.mp3', 'dir3/file-302.mpeg', 'dir4', 'dir4/file-401.txt', 'dir4/file-402.txt', 'home.txt', 'homedir', 'homedir/a.txt', 'homedir/b.md', 'homer.md', 'src', 'src/a.txt', 'src/x', 'src/x/b.txt', 'src/x/y', 'src/x/y/c.txt', 'src/x/y/d.md', 'x', 'x/a.txt', 'x/y', 'x/y/a.txt', 'x/y/b.txt', 'y', 'y/a.txt']],
  ['ADD --exclude=*.mp3 dir3/ /3/', ['dir3', 'dir3/file-302.mpeg']],
  ['COPY --exclude=*.mp3 --exclude=*.jpeg --exclude=*.png --exclude=*.pdf --exclude=*.txt dir* /4/', ['dir1', 'dir2', 'dir3', 'dir3/file-302.mpeg', 'dir4']],
  ['ADD --exclude=*.mp* --exclude=*.jpeg --exclude=*.png --exclude=*.pdf dir* /5', ['dir1', 'dir1/file-102.txt', 'dir2', 'dir3', 'dir4', 'dir4/file-401.txt', 'dir4/file-402.txt']],
  ['ADD --exclude=* dir* /6', ['dir1', 'dir2', 'dir3', 'dir4']],
  // --parents: patterns match from the root, or from the "/./" pivot.
  ['COPY --parents --exclude=x/y ./x/ /p/', ['x', 'x/a.txt']],
  ['COPY --parents --exclude=y/b.txt ./x/./y/*.txt /p/', ['x/y/a.txt']],
  ['COPY --parents --exclude=**/*.md ./src/**/* /p/', ['src/a.txt', 'src/x', 'src/x/b.txt', 'src/x/y', 'src/x/y/c.txt']],
];
for (const [line, want] of rows) test(`selects: ${line}`, async () => assert.deepEqual(await selected(line), want));

test('a wildcard whose every match is excluded selects nothing (not an error); one that matches nothing is', async () => {
  assert.deepEqual(await selected('COPY --exclude=*.txt home.t?t /d/'), []);
  await assert.rejects(selected('COPY *.nothing /d/'), /nothing in the context matches/);
});

const pivots: Array<[string, string]> = [['./x/./y/*.txt', 'x'], ['x/a.txt', '.'], ['/./src', '.'], ['a/b/./c', 'a/b'], ['./a/../b/./c', 'b']];
for (const [source, want] of pivots) test(`--parents pivot of ${source}`, () => assert.equal(parentsPivot(source), want));
