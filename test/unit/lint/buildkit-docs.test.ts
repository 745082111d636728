// Every ❌/✅ example of BuildKit's rule pages (corpora/buildkit-rules, read as markdown here,
// not copied) must give the rule's finding (bad) or none of it (good).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { lint } from '../../../runtime/lint/index';
import { ruleByCode } from '../../../runtime/lint/registry';
import { codeBlocks } from './expect';

const DIR = '/work/shared/corpora/buildkit-rules';
const pages = readdirSync(DIR).filter((f) => f.endsWith('.md') && !f.startsWith('_') && f !== 'README.md');

// Bad examples that BuildKit itself does not report: we match BuildKit (no finding), and say why.
const KNOWN: Record<string, string> = {
  // The page pairs `.dockerignore` `*/tmp/*` with `COPY ./tmp/helloworld.txt`; BuildKit cleans
  // the source to `tmp/helloworld.txt`, which `*/tmp/*` does not match (`*` never crosses `/`
  // and cannot be empty-and-slash), so BuildKit itself prints nothing for it.
  'copy-ignored-file.md#bad0': 'as BuildKit, no finding: the cleaned source does not match the pattern',
};

// The base images the examples rely on (UndefinedVar's "the base image defines $PYTHON_VERSION").
const IMAGE_ENV: Record<string, Record<string, string>> = {
  python: { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', GPG_KEY: 'x', PYTHON_VERSION: '3.13.0' },
};

for (const page of pages) {
  const text = readFileSync(`${DIR}/${page}`, 'utf8');
  const code = /^title:\s*(\S+)/m.exec(text)?.[1] ?? '';
  test(`${page}: rule ${code} is in the registry`, () => assert.ok(ruleByCode(code), `no rule ${code}`));
  const blocks = codeBlocks(text.slice(text.indexOf('## Examples')));
  const dockerignore = blocks.find((b) => b.lang === 'text')?.body;
  let bad = 0, good = 0;
  for (const block of blocks) {
    if (block.lang !== 'dockerfile') continue;
    const kind = block.label.includes('❌') ? 'bad' : block.label.includes('✅') ? 'good' : undefined;
    if (!kind) continue;
    const id = `${page}#${kind}${kind === 'bad' ? bad++ : good++}`;
    const expectFinding = kind === 'bad' && !(id in KNOWN);
    test(`${id}: ${kind} example ${expectFinding ? 'gives' : 'does not give'} ${code}${KNOWN[id] ? ` (${KNOWN[id]})` : ''}`, () => {
      const findings = lint(block.body, {
        dockerignore, config: { severities: { [code]: 'warning' } },
        baseImageEnv: (image) => IMAGE_ENV[image.split(':')[0]],
      }).filter((f) => f.code === code);
      if (expectFinding) assert.ok(findings.length > 0, `expected ${code} for:\n${block.body}`);
      else assert.deepEqual(findings.map((f) => f.message), [], `expected no ${code} for:\n${block.body}`);
    });
  }
  test(`${page}: has examples`, () => assert.ok(bad > 0 && good > 0, `bad=${bad} good=${good}`));
}
