// Every real-world Dockerfile of the corpus lints without an exception, and the number of
// findings per rule over the whole corpus is a reviewed snapshot (real-world-counts.json): a
// change in what the rules report shows up in review as a diff of that file.
// Refresh after a deliberate change: SLIPWAY_UPDATE_SNAPSHOTS=1 node test/run.mjs unit real-world
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { lint } from '../../../runtime/lint/index';

const DIR = '/work/shared/corpora/real-world';
const SNAPSHOT = path.join(__dirname, 'real-world-counts.json');

function corpus(): { file: string; source: string; dockerignore?: string }[] {
  const out: { file: string; source: string; dockerignore?: string }[] = [];
  for (const repo of readdirSync(DIR).sort()) {
    if (!existsSync(path.join(DIR, repo)) || repo.includes('.')) continue;
    const files = readdirSync(path.join(DIR, repo)).sort();
    // The context's .dockerignore, when the repository has one at its root.
    const ignore = files.includes('.dockerignore') ? readFileSync(path.join(DIR, repo, '.dockerignore'), 'utf8') : undefined;
    for (const f of files) {
      if (f.includes('dockerignore')) continue;
      out.push({ file: `${repo}/${f}`, source: readFileSync(path.join(DIR, repo, f), 'utf8'), dockerignore: f === 'Dockerfile' ? ignore : undefined });
    }
  }
  return out;
}

test('the real-world corpus lints without an exception; counts per rule match the snapshot', () => {
  const files = corpus();
  assert.ok(files.length >= 260, `${files.length} files`);
  const counts: Record<string, number> = {};
  for (const { file, source, dockerignore } of files) {
    const findings = lint(source, { file, dockerignore });
    for (const f of findings) {
      assert.ok(!f.message.startsWith(`lint rule ${f.code} failed`), `${file}: ${f.message}`);
      counts[f.code] = (counts[f.code] ?? 0) + 1;
    }
  }
  const sorted = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (process.env.SLIPWAY_UPDATE_SNAPSHOTS === '1' || !existsSync(SNAPSHOT)) {
    writeFileSync(SNAPSHOT, `${JSON.stringify(sorted, null, 2)}\n`);
  }
  assert.deepEqual(sorted, JSON.parse(readFileSync(SNAPSHOT, 'utf8')));
});
