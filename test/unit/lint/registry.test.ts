// The registry as data: every rule is complete, codes are unique, and each rule's own examples
// (the ones docs/rules.md shows) give its finding (bad) or none of it (good).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint } from '../../../runtime/lint/index';
import { RULES } from '../../../runtime/lint/registry';

test('codes and names are unique and every rule is documented', () => {
  assert.equal(new Set(RULES.map((r) => r.code)).size, RULES.length);
  for (const r of RULES) {
    assert.ok(r.description.length > 5 && /^https:\/\//.test(r.url), r.code);
    assert.ok(r.examples.bad.length > 0 && r.examples.good.length > 0, `${r.code} needs a bad and a good example`);
    if (r.sameAs) assert.ok(RULES.some((o) => o.code === r.sameAs && o.family === 'buildkit'), `${r.code}.sameAs`);
  }
});

test('all 21 BuildKit checks, its parse errors and the corpus DL rules are registered', () => {
  assert.equal(RULES.filter((r) => r.family === 'buildkit' && r.code !== 'DockerfileParseError').length, 21);
  assert.ok(RULES.some((r) => r.code === 'DockerfileParseError'));
  assert.ok(RULES.filter((r) => r.family === 'hadolint').length >= 70);
});

for (const rule of RULES) {
  for (const [kind, list] of [['bad', rule.examples.bad], ['good', rule.examples.good]] as const) {
    list.forEach((ex, i) => {
      test(`${rule.code} ${kind} example ${i}`, () => {
        const config = { ...ex.config, severities: { [rule.code]: rule.severity === 'off' ? 'warning' as const : rule.severity } };
        const findings = lint(ex.source, { config, dockerignore: ex.dockerignore, families: [rule.family] }).filter((f) => f.code === rule.code);
        if (kind === 'bad') assert.ok(findings.length > 0, `expected ${rule.code} for:\n${ex.source}`);
        else assert.deepEqual(findings.map((f) => f.message), []);
      });
    });
  }
}
