// Document symbols (outline): stages, with their instructions as children; ARGs before the
// first FROM are top-level symbols. Pure; providers/symbols.ts adapts it to VS Code.
import type { Instruction, Model, Range } from './model';

export interface Sym { name: string; detail: string; kind: 'stage' | 'instruction'; range: Range; selectionRange: Range; children: Sym[] }

const MAX_DETAIL = 60;

/** The instruction's text after the keyword, flags included, continuations joined. */
function argumentText(m: Model, i: Instruction): string {
  const r = i.range;
  const kw = i.keywordRange;
  const esc = m.escape;
  const lines = m.lines.slice(r.start.line, r.end.line + 1);
  lines[0] = lines[0].slice(kw.end.character);
  return lines
    .filter((l, n) => n === 0 || !/^\s*#/.test(l))
    .map((l) => (l.trimEnd().endsWith(esc) ? l.trimEnd().slice(0, -1) : l))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function instructionSymbol(m: Model, i: Instruction): Sym {
  const args = argumentText(m, i);
  return {
    name: i.keyword, detail: args.length > MAX_DETAIL ? `${args.slice(0, MAX_DETAIL - 1)}…` : args,
    kind: 'instruction', range: i.range, selectionRange: i.keywordRange, children: [],
  };
}

export function documentSymbols(m: Model): Sym[] {
  const firstFrom = m.stages[0]?.from.range.start.line ?? Infinity;
  const globals = m.instructions.filter((i) => i.range.start.line < firstFrom).map((i) => instructionSymbol(m, i));
  const stages = m.stages.map((s): Sym => ({
    name: s.name ?? `stage ${s.index}`,
    detail: `FROM ${s.image}`,
    kind: 'stage',
    range: s.range,
    selectionRange: s.nameRange ?? s.from.keywordRange,
    children: s.instructions.slice(1).map((i) => instructionSymbol(m, i)),
  }));
  return [...globals, ...stages];
}
