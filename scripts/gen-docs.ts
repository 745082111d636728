// Writes every generated user doc (docs/rules.md, docs/cli.md, docs/extension.md) from the
// code that defines them: `npm run docs`. `--check` writes nothing and exits 1 when a file
// is stale (what the unit test in test/unit/docs/ also checks).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generatedDocs, REPO_ROOT } from './docs';

const check = process.argv.includes('--check');
let stale = 0;
for (const [rel, text] of generatedDocs()) {
  const file = path.join(REPO_ROOT, rel);
  let old: string | undefined;
  try { old = readFileSync(file, 'utf8'); } catch { old = undefined; }
  if (old === text) continue;
  stale += 1;
  if (check) console.error(`${rel} is stale`);
  else { writeFileSync(file, text); console.log(`wrote ${rel}`); }
}
if (check && stale > 0) process.exit(1);
if (!check && stale === 0) console.log('docs are up to date');
