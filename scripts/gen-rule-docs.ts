// Writes docs/rules.md from the lint registry: `npx tsx scripts/gen-rule-docs.ts`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderRuleDocs } from '../runtime/lint/docs';

const out = path.join(__dirname, '..', 'docs', 'rules.md');
writeFileSync(out, renderRuleDocs());
console.log(`wrote ${out}`);
