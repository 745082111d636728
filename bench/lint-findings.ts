// Lint-findings snapshot (not a benchmark, not a test): lints every corpus Dockerfile — the
// real-world corpus (with its .dockerignore), the ❌/✅ examples of BuildKit's rule pages, the
// hadolint rule examples, the examples kept in the rule registry and BuildKit's parser corpus —
// and writes every finding (code, range, message, fixes) as JSON. Run it before and after a
// change to the lint engine and diff the two files: every difference must be explained.
// Run: npx tsx bench/lint-findings.ts OUT.json
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lint } from '../runtime/lint/index';
import { RULES } from '../runtime/lint/registry';
import type { LintOptions } from '../runtime/lint/types';
import { codeBlocks } from '../test/unit/lint/expect';

const CORPORA = '/work/shared/corpora';
const out = process.argv[2];
if (!out) throw new Error('usage: npx tsx bench/lint-findings.ts OUT.json');

const inputs: { id: string; source: string; options: LintOptions }[] = [];

const realWorld = path.join(CORPORA, 'real-world');
for (const repo of readdirSync(realWorld).sort()) {
  const dir = path.join(realWorld, repo);
  if (!statSync(dir).isDirectory()) continue;
  const files = readdirSync(dir).sort();
  const ignore = files.includes('.dockerignore') ? readFileSync(path.join(dir, '.dockerignore'), 'utf8') : undefined;
  for (const f of files) {
    if (f.includes('dockerignore')) continue;
    inputs.push({ id: `real-world/${repo}/${f}`, source: readFileSync(path.join(dir, f), 'utf8'), options: { dockerignore: f === 'Dockerfile' ? ignore : undefined } });
  }
}

const rules = path.join(CORPORA, 'buildkit-rules');
for (const page of readdirSync(rules).sort().filter((f) => f.endsWith('.md') && !f.startsWith('_') && f !== 'README.md')) {
  const text = readFileSync(path.join(rules, page), 'utf8');
  const code = /^title:\s*(\S+)/m.exec(text)?.[1] ?? '';
  const blocks = codeBlocks(text.slice(text.indexOf('## Examples')));
  const dockerignore = blocks.find((b) => b.lang === 'text')?.body;
  blocks.filter((b) => b.lang === 'dockerfile').forEach((b, i) => {
    inputs.push({ id: `buildkit-rules/${page}#${i}`, source: b.body, options: { dockerignore, config: { severities: { [code]: 'warning' } } } });
  });
}

const hadolint = readFileSync(path.join(CORPORA, 'hadolint-rules.md'), 'utf8');
for (const section of hadolint.split(/^## /m).slice(1).filter((s) => /^DL\d{4}:/.test(s))) {
  const code = section.slice(0, 6);
  codeBlocks(section).filter((b) => b.lang === 'dockerfile').forEach((b, i) => {
    inputs.push({ id: `hadolint/${code}#${i}`, source: b.body, options: { config: { severities: { [code]: 'warning' } } } });
  });
}

for (const rule of RULES) {
  for (const kind of ['bad', 'good'] as const) {
    rule.examples[kind].forEach((e, i) => {
      inputs.push({ id: `registry/${rule.code}/${kind}${i}`, source: e.source, options: { dockerignore: e.dockerignore, config: { ...e.config, severities: { ...e.config?.severities, [rule.code]: 'warning' } } } });
    });
  }
}

const parser = path.join(CORPORA, 'buildkit-parser');
for (const d of ['testfiles', 'testfiles-negative']) {
  for (const c of readdirSync(path.join(parser, d)).sort()) {
    const f = path.join(parser, d, c, 'Dockerfile');
    if (existsSync(f)) inputs.push({ id: `buildkit-parser/${d}/${c}`, source: readFileSync(f, 'utf8'), options: {} });
  }
}

const result: Record<string, unknown> = {};
for (const { id, source, options } of inputs) {
  result[id] = lint(source, options).map((f) => ({ code: f.code, range: f.range, message: f.message, severity: f.severity, fixes: f.fixes }));
}
writeFileSync(out, `${JSON.stringify(result, null, 1)}\n`);
console.log(`${inputs.length} inputs, ${Object.values(result).reduce((n: number, f) => n + (f as unknown[]).length, 0)} findings → ${out}`);
