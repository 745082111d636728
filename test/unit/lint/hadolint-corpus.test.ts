// Every "Triggers" / "Does not trigger" example of corpora/hadolint-rules.md (read as markdown
// here, not copied) must give the DL rule's finding, or none of it. The configuration an
// example needs (trusted registries, a label schema) is read from the section's prose.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { lint } from '../../../runtime/lint/index';
import { ruleByCode } from '../../../runtime/lint/registry';
import type { LintConfig } from '../../../runtime/lint/types';
import { codeBlocks } from './expect';

const text = readFileSync('/work/shared/corpora/hadolint-rules.md', 'utf8');
const sections = text.split(/^## /m).slice(1).filter((s) => /^DL\d{4}:/.test(s));

function configFor(code: string, prose: string): LintConfig {
  const config: LintConfig = { severities: { [code]: 'warning' } };
  const registries = /trustedRegistries: \[([^\]]+)\]/.exec(prose);
  if (registries) config.trustedRegistries = [...registries[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  const schema = /(?:label-schema: |Schema\s+`)\{([^}]+)\}/.exec(prose);
  if (schema) config.labelSchema = Object.fromEntries(schema[1].split(',').map((kv) => kv.split(':').map((x) => x.trim())));
  if (/strict-labels: true/.test(prose) && code === 'DL3050') config.strictLabels = true;
  return config;
}

test('the corpus lists the DL rules', () => assert.ok(sections.length >= 60, `${sections.length} sections`));

for (const section of sections) {
  const code = section.slice(0, 6);
  test(`${code} is in the registry`, () => assert.ok(ruleByCode(code), `no rule ${code}`));
  const config = configFor(code, section);
  const blocks = codeBlocks(section).filter((b) => b.lang === 'dockerfile');
  for (const [i, block] of blocks.entries()) {
    const triggers = block.label.startsWith('Triggers');
    if (!triggers && !block.label.startsWith('Does not trigger')) continue;
    test(`${code} example ${i}: ${triggers ? 'triggers' : 'does not trigger'}`, () => {
      // hadolint rules only: where a BuildKit check reports the same problem, the engine keeps
      // the BuildKit finding and drops the DL one (see `sameAs`), which is not under test here.
      const findings = lint(block.body, { config, families: ['hadolint'] }).filter((f) => f.code === code);
      if (triggers) assert.ok(findings.length > 0, `expected ${code} for:\n${block.body}`);
      else assert.deepEqual(findings.map((f) => `${f.range.start.line + 1}: ${f.message}`), [], `expected no ${code} for:\n${block.body}`);
    });
  }
}
