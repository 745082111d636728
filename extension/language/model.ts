// The editor's view of one Dockerfile: stages, ARG/ENV declarations, variable and stage
// references, each with its range. Pure (no vscode): every language feature (hover, completion,
// symbols, definition, rename, folding) is a function of this model and a position.
//
// Built on the lint engine's context, so the editor, the linter and the builder read the file
// with one parser (runtime/dockerfile/syntax.ts, in its recovering mode: it keeps going after
// a half-typed line, which the build itself would refuse).
import { rangeOf } from '../../runtime/dockerfile/located';
import { expandWord, variableReferences } from '../../runtime/dockerfile/shell/lex';
import type { Position, Range } from '../../runtime/errors';
import { LintContext, type Instr } from '../../runtime/lint/context';

export type { Position, Range };

/** One instruction, as the linter sees it (keyword, ranges of keyword, flags, words, pairs). */
export type Instruction = Instr;

export interface Stage {
  index: number;
  /** `AS name`, as written. */
  name?: string;
  nameRange?: Range;
  /** The base image (or an earlier stage's name) as written. */
  image: string;
  /** From the FROM line to the line before the next FROM. */
  range: Range;
  from: Instruction;
  instructions: Instruction[];
}

export interface VarDecl {
  name: string;
  kind: 'ARG' | 'ENV';
  nameRange: Range;
  /** Value as written (unexpanded); undefined for `ARG name` without a default. */
  value?: string;
  /** -1 for an ARG before the first FROM (a global build argument). */
  stage: number;
  line: number;
}

export interface VarRef { name: string; range: Range; stage: number; line: number }

/** A use of a stage name: `FROM name`, `COPY --from=name`, `RUN --mount=from=name`. */
export interface StageRef { name: string; range: Range }

export interface Model {
  text: string;
  lines: string[];
  /** The escape character (`# escape=` directive), `\\` by default. */
  escape: '\\' | '`';
  /** Top-level instructions in order (ONBUILD triggers are inside their ONBUILD). */
  instructions: Instruction[];
  stages: Stage[];
  decls: VarDecl[];
  refs: VarRef[];
  stageRefs: StageRef[];
}

/** The model of a text, or of a context already parsed from it (the editor's per-version parse). */
export function buildModel(source: string | LintContext): Model {
  const ctx = typeof source === 'string' ? new LintContext(source) : source;
  const text = ctx.source;
  const escape = ctx.escape === '`' ? '`' : '\\';
  const lines = text.split(/\r?\n/);
  const instructions = ctx.instrs.filter((i) => !i.onbuild);
  const stages: Stage[] = [];
  const decls: VarDecl[] = [];
  const refs: VarRef[] = [];
  const stageRefs: StageRef[] = [];
  for (const instr of instructions) {
    const keyword = instr.keyword;
    const line = instr.range.start.line;
    if (keyword === 'FROM') {
      const s = ctx.stages[instr.stage];
      stages.push({ index: stages.length, name: s?.name, nameRange: s?.nameRange, image: s?.image ?? '', range: instr.range, from: instr, instructions: [] });
      // FROM <earlier stage>: a stage reference (stage names are case-insensitive).
      const image = s?.image;
      if (image && s.imageRange && stages.slice(0, -1).some((o) => o.name?.toLowerCase() === image.toLowerCase())) {
        stageRefs.push({ name: image, range: s.imageRange });
      }
    }
    const stage = stages.length - 1;
    if (stage >= 0) {
      const s = stages[stage];
      s.instructions.push(instr);
      s.range = { start: s.range.start, end: instr.range.end };
    }
    if (keyword === 'ARG' || keyword === 'ENV') {
      for (const p of instr.properties) decls.push({ name: p.name, kind: keyword, nameRange: p.nameRange, value: p.value, stage, line });
    }
    for (const r of variableRefs(instr, escape)) refs.push({ ...r, stage, line: r.range.start.line });
    stageRefs.push(...flagStageRefs(instr));
  }
  return { text, lines, escape, instructions, stages, decls, refs, stageRefs };
}

/** `$NAME` and `${NAME…}` after the keyword (flags and an ONBUILD's trigger included); the range is the name's. */
function variableRefs(instr: Instruction, escape: '\\' | '`'): { name: string; range: Range }[] {
  const node = instr.node;
  const from = node.original.length - node.original.trimStart().length + instr.written.length;
  return variableReferences(node.original.slice(from), escape).map((v) => {
    const at = from + v.offset + (node.original[from + v.offset + 1] === '{' ? 2 : 1);
    return { name: v.name, range: rangeOf(node, at, at + v.name.length) };
  });
}

/** `--from=name` (COPY) and `from=name` inside `--mount=` (RUN) that name an earlier stage. */
function flagStageRefs(instr: Instruction): StageRef[] {
  const out: StageRef[] = [];
  for (const f of instr.flags) {
    const value = f.value;
    if (f.name === 'from' && value && f.valueRange && !value.includes('/') && !value.includes(':')) out.push({ name: value, range: f.valueRange });
    if (f.name === 'mount' && f.raw.startsWith('--mount=')) {
      // Options are comma-separated `key=value`; offsets from the raw flag map back to the source.
      let at = f.start + '--mount='.length;
      for (const opt of f.raw.slice('--mount='.length).split(',')) {
        const eq = opt.indexOf('=');
        if (eq > 0 && opt.slice(0, eq) === 'from' && eq + 1 < opt.length) {
          out.push({ name: opt.slice(eq + 1), range: rangeOf(instr.node, at + eq + 1, at + opt.length) });
        }
        at += opt.length + 1;
      }
    }
  }
  return out;
}

export const contains = (r: Range, p: Position): boolean =>
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character))
  && (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

export function stageAt(m: Model, line: number): number {
  let idx = -1;
  for (const s of m.stages) if (s.from.range.start.line <= line) idx = s.index;
  return idx;
}

export function stageByName(m: Model, name: string): Stage | undefined {
  const lower = name.toLowerCase();
  return m.stages.find((s) => s.name?.toLowerCase() === lower);
}

/**
 * The declaration a variable use at `line` in `stage` resolves to, following BuildKit's scoping:
 * in a stage, the latest ARG/ENV above it, then ENV inherited from the parent stage; on a FROM
 * line (stage's own FROM) or before any FROM, the global ARGs above it.
 */
export function resolveVar(m: Model, name: string, stage: number, line: number): VarDecl | undefined {
  const onFromLine = stage >= 0 && m.stages[stage].from.range.start.line === line;
  if (stage < 0 || onFromLine) return latest(m.decls.filter((d) => d.stage === -1 && d.name === name && d.line < line));
  const own = latest(m.decls.filter((d) => d.stage === stage && d.name === name && d.line < line));
  if (own) return own;
  const parent = stageByName(m, m.stages[stage].image);
  if (parent && parent.index < stage) {
    const inherited = resolveVar(m, name, parent.index, parent.range.end.line + 1);
    if (inherited?.kind === 'ENV') return inherited;
  }
  return undefined;
}

const latest = (ds: VarDecl[]): VarDecl | undefined => ds.reduce<VarDecl | undefined>((a, d) => (!a || d.line >= a.line ? d : a), undefined);

/**
 * The value a variable has at a use, as far as the Dockerfile says: the declaration's value with
 * the variables in it resolved the same way. An `ARG name` without a default in a stage takes
 * the global ARG's default, as BuildKit does. Undefined when nothing in the file sets it.
 */
export function resolvedValue(m: Model, name: string, stage: number, line: number, depth = 0): string | undefined {
  const d = resolveVar(m, name, stage, line);
  if (!d || depth > 16) return undefined;
  let raw = d.value;
  if (raw === undefined && d.kind === 'ARG' && d.stage >= 0) {
    const global = latest(m.decls.filter((g) => g.stage === -1 && g.name === name));
    if (global) return resolvedValue(m, name, -1, global.line + 1, depth + 1);
  }
  if (raw === undefined) return undefined;
  try {
    raw = expandWord(raw, (n) => resolvedValue(m, n, d.stage, d.line, depth + 1), { escape: m.escape });
  } catch {
    // An expansion BuildKit would reject: show the text as written.
  }
  return raw;
}

/** The word (letters, digits, `_`, `-`, `.`) around a position, with its range. */
export function wordAt(m: Model, p: Position, re = /[A-Za-z0-9_.-]/): { word: string; range: Range } | undefined {
  const text = m.lines[p.line] ?? '';
  let s = p.character;
  let e = p.character;
  while (s > 0 && re.test(text[s - 1])) s--;
  while (e < text.length && re.test(text[e])) e++;
  if (s === e) return undefined;
  return { word: text.slice(s, e), range: { start: { line: p.line, character: s }, end: { line: p.line, character: e } } };
}

export function instructionAt(m: Model, line: number): Instruction | undefined {
  return m.instructions.find((i) => i.range.start.line <= line && i.range.end.line >= line);
}
