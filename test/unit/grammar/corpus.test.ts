// The grammar on every real-world Dockerfile of the shared corpus: each instruction the editor
// AST finds must start with a keyword token inside its own instruction scope. A heredoc, string
// or continuation rule that ran past its end would swallow the next instruction and fail this.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { tokenize } from './scopes';
import { INSTRUCTIONS } from '../../../extension/language/docs';

const KEYWORDS = new Set(INSTRUCTIONS.map((d) => d.keyword));

const root = '/work/shared/corpora/real-world';
const files = existsSync(root)
  ? readdirSync(root, { recursive: true }).map(String).filter((f) => /(^|\/)(Dockerfile|Containerfile)[^/]*$/.test(f) && !f.endsWith('.tsv')).sort()
  : [];

test('real-world corpus: every instruction starts with a keyword in its own scope', { skip: files.length ? undefined : `no corpus at ${root}` }, async () => {
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const lines = text.split(/\r?\n/);
    const tokens = await tokenize(lines);
    for (const instr of DockerfileParser.parse(text).getInstructions()) {
      const r = instr.getInstructionRange();
      const keyword = instr.getKeyword();
      // Templates (Dockerfile.oracle's `{{ … }}` lines) are not instructions.
      if (!KEYWORDS.has(keyword)) continue;
      const tok = tokens[r.start.line]?.find((t) => t.start <= r.start.character && t.end > r.start.character);
      const parent = instr.getRange().start.line !== r.start.line || /^\s*onbuild\s/i.test(lines[r.start.line]) ? undefined : `meta.instruction.${keyword.toLowerCase()}.dockerfile`;
      const ok = tok?.scopes.includes('keyword.other.special-method.dockerfile') && (!parent || tok.scopes.includes(parent));
      if (!ok) problems.push(`${file}:${r.start.line + 1} ${keyword}: ${tok?.scopes.join(' ') ?? 'no token'}`);
    }
  }
  assert.ok(files.length > 10, `only ${files.length} corpus files`);
  assert.deepEqual(problems, []);
});
