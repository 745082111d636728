#!/usr/bin/env node
// Runs the test tiers: unit (no root, no network), privileged (real kernel, root),
// registry (a real docker-registry on 127.0.0.1), editor (a real VS Code: code-server).
// Usage: node test/run.mjs all|unit|privileged|registry|editor [file filter]
// Prints one closing line "N passed, N failed, N skipped" over every tier it ran.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tiers = ['unit', 'privileged', 'registry', 'editor'];
const [which = 'all', filter = ''] = process.argv.slice(2);
const chosen = which === 'all' ? tiers : [which];
if (!chosen.every((t) => tiers.includes(t))) {
  console.error(`unknown tier "${which}"; expected all, ${tiers.join(', ')}`);
  process.exit(2);
}

const total = { passed: 0, failed: 0, skipped: 0 };
const tmp = mkdtempSync(path.join(tmpdir(), 'slipway-test-'));

function testFiles(tier) {
  const dir = path.join(root, 'test', tier);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts') && f.includes(filter))
    .sort()
    .map((f) => path.join('test', tier, f));
}

function runNodeTests(tier) {
  const files = testFiles(tier);
  if (files.length === 0) return;
  const tap = path.join(tmp, `${tier}.tap`);
  // Unit tests run in parallel; tiers that touch the kernel or ports run one file at a time.
  const concurrency = tier === 'unit' ? [] : ['--test-concurrency=1'];
  console.log(`\n=== ${tier}: ${files.length} files`);
  spawnSync(process.execPath, ['--import', 'tsx', '--test', ...concurrency,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, SLIPWAY_TEST_TIER: tier } });
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)$`, "m")) ?? [])[1] ?? 0);
  const passed = count('pass'), failed = count('fail') + count('cancelled'), skipped = count('skipped') + count('todo');
  if (!text.includes('# pass')) total.failed += 1; // the runner itself crashed
  total.passed += passed; total.failed += failed; total.skipped += skipped;
}

function runEditorTests() {
  const driver = path.join(root, 'test', 'editor', 'run.mjs');
  if (!existsSync(driver)) return;
  const results = path.join(tmp, 'editor.json');
  console.log('\n=== editor (code-server)');
  const r = spawnSync(process.execPath, [driver], { cwd: root, stdio: 'inherit', env: { ...process.env, SLIPWAY_TEST_RESULTS: results, ...(filter ? { SLIPWAY_EDITOR_GREP: filter } : {}) } });
  if (!existsSync(results)) { total.failed += 1; return; }
  const { passed = 0, failed = 0, skipped = 0 } = JSON.parse(readFileSync(results, 'utf8'));
  total.passed += passed; total.failed += failed + (r.status !== 0 && failed === 0 ? 1 : 0); total.skipped += skipped;
}

for (const tier of chosen) {
  if (tier === 'editor') runEditorTests();
  else runNodeTests(tier);
}
rmSync(tmp, { recursive: true, force: true });
console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
