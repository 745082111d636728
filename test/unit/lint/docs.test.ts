// docs/rules.md is generated from the registry; it must be current and list every rule.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { renderRuleDocs } from '../../../runtime/lint/docs';
import { RULES } from '../../../runtime/lint/registry';

test('docs/rules.md is up to date (regenerate: npx tsx scripts/gen-rule-docs.ts)', () => {
  const file = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'rules.md'), 'utf8');
  // A boolean check: a 2,000-line diff in the test output helps nobody; regenerate instead.
  assert.ok(file === renderRuleDocs(), 'docs/rules.md is stale: run npx tsx scripts/gen-rule-docs.ts');
});

test('every rule has a section with its examples', () => {
  const md = renderRuleDocs();
  for (const r of RULES) {
    assert.ok(md.includes(`### ${r.code}\n`), r.code);
    assert.ok(md.includes(r.examples.bad[0].source.trimEnd()), `${r.code} bad example`);
  }
});
