// The one assertion helper of the lint tests: lint a source and compare the findings, as
// {code, line (1-based), message?} rows, with the expected ones. Only the codes named in
// `expected` (or in `only`) are compared, so a row can test one rule without listing what
// other rules say about the same snippet.
import assert from 'node:assert/strict';
import { lint } from '../../../runtime/lint/index';
import type { Finding, LintOptions } from '../../../runtime/lint/types';

export interface Expected { code: string; line: number; message?: string | RegExp }

export function expectDiagnostics(source: string, expected: Expected[], options: LintOptions & { only?: string[] } = {}): Finding[] {
  const findings = lint(source, options);
  const codes = new Set([...(options.only ?? []), ...expected.map((e) => e.code)]);
  const got = findings.filter((f) => codes.has(f.code)).map((f) => ({ code: f.code, line: f.range.start.line + 1, message: f.message }));
  const want = expected.map((e) => ({ code: e.code, line: e.line, message: e.message }));
  const norm = (rows: { code: string; line: number; message?: string | RegExp }[]): string[] => rows.map((r) => `${r.line} ${r.code}`).sort();
  assert.deepEqual(norm(got), norm(want), `findings for:\n${source}\ngot: ${JSON.stringify(got, null, 1)}`);
  for (const w of want) {
    if (w.message === undefined) continue;
    const hit = got.find((g) => g.code === w.code && g.line === w.line && (typeof w.message === 'string' ? g.message === w.message : (w.message as RegExp).test(g.message)));
    assert.ok(hit, `no ${w.code} at line ${w.line} with message ${String(w.message)}; got ${JSON.stringify(got)}`);
  }
  return findings;
}

/** Applies the edits of a fix to a source (edits must not overlap). */
export function applyEdits(source: string, edits: { range: Finding['range']; newText: string }[]): string {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }): number => (starts[p.line] ?? source.length) + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = source;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

/** Fenced code blocks of a markdown text, labelled by the first line of the paragraph before it. */
export function codeBlocks(markdown: string): { lang: string; body: string; label: string; section: string }[] {
  const out: { lang: string; body: string; label: string; section: string }[] = [];
  const lines = markdown.split('\n');
  let label = '', section = '', prevEmpty = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const wasEmpty = prevEmpty;
    prevEmpty = line.trim() === '';
    if (/^#{1,4} /.test(line)) { section = line.replace(/^#+ /, ''); label = ''; continue; }
    const fence = /^(\s*)```(\w*)\s*$/.exec(line);
    if (fence) {
      const body: string[] = [];
      for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) body.push(lines[i].slice(fence[1].length));
      out.push({ lang: fence[2], body: `${body.join('\n')}\n`, label, section });
      prevEmpty = true; // a line right after a block starts a new paragraph
      continue;
    }
    // A block is labelled by the first line of the paragraph before it ("❌ Bad: …").
    if (line.trim() !== '' && wasEmpty) label = line.trim();
  }
  return out;
}
