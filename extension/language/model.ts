// The editor's view of one Dockerfile: stages, ARG/ENV declarations, variable and stage
// references, each with its range. Pure (no vscode): every language feature (hover, completion,
// symbols, definition, rename, folding) is a function of this model and a position.
//
// Built on dockerfile-ast, the forgiving editor AST (it keeps going on half-typed lines, which
// the builder's BuildKit-faithful parser in runtime/dockerfile rightly refuses).
import { DockerfileParser, type Dockerfile, type Instruction, type Property } from 'dockerfile-ast';
import { expandWord } from '../../runtime/dockerfile/shell/lex';
import type { Position, Range } from '../../runtime/errors';

export type { Position, Range };

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
  ast: Dockerfile;
  stages: Stage[];
  decls: VarDecl[];
  refs: VarRef[];
  stageRefs: StageRef[];
}

export function buildModel(text: string): Model {
  const ast = DockerfileParser.parse(text);
  const lines = text.split(/\r?\n/);
  const instructions = ast.getInstructions();
  const stages: Stage[] = [];
  const decls: VarDecl[] = [];
  const refs: VarRef[] = [];
  const stageRefs: StageRef[] = [];
  for (const instr of instructions) {
    const keyword = instr.getKeyword();
    const line = instr.getRange().start.line;
    if (keyword === 'FROM') {
      const from = instr as import('dockerfile-ast').From;
      const name = from.getBuildStage() ?? undefined;
      stages.push({
        index: stages.length, name, nameRange: from.getBuildStageRange() ?? undefined, image: from.getImage() ?? '',
        range: instr.getRange(), from: instr, instructions: [],
      });
      const image = from.getImage();
      const imageRange = from.getImageRange();
      // FROM <earlier stage>: a stage reference (stage names are case-insensitive).
      if (image && imageRange && stages.slice(0, -1).some((s) => s.name?.toLowerCase() === image.toLowerCase())) {
        stageRefs.push({ name: image, range: imageRange });
      }
    }
    const stage = stages.length - 1;
    if (stage >= 0) {
      const s = stages[stage];
      s.instructions.push(instr);
      s.range = { start: s.range.start, end: instr.getRange().end };
    }
    if (keyword === 'ARG' || keyword === 'ENV') {
      for (const p of (instr as unknown as { getProperties(): Property[] }).getProperties()) {
        const value = p.getValue();
        decls.push({ name: p.getName(), kind: keyword, nameRange: p.getNameRange(), value: value ?? undefined, stage, line });
      }
    }
    for (const v of instr.getVariables()) refs.push({ name: v.getName(), range: v.getNameRange(), stage, line: v.getNameRange().start.line });
    stageRefs.push(...flagStageRefs(instr));
  }
  return { text, lines, ast, stages, decls, refs, stageRefs };
}

/** `--from=name` (COPY) and `from=name` inside `--mount=` (RUN) that name an earlier stage. */
function flagStageRefs(instr: Instruction): StageRef[] {
  const flags = (instr as unknown as { getFlags?: () => import('dockerfile-ast').Flag[] }).getFlags?.() ?? [];
  const out: StageRef[] = [];
  for (const f of flags) {
    const value = f.getValue();
    const range = f.getValueRange();
    if (f.getName() === 'from' && value && range && !value.includes('/') && !value.includes(':')) out.push({ name: value, range });
    if (f.getName() === 'mount') {
      for (const o of f.getOptions()) {
        const v = o.getValue();
        const r = o.getValueRange();
        if (o.getName() === 'from' && v && r) out.push({ name: v, range: r });
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
  for (const s of m.stages) if (s.from.getRange().start.line <= line) idx = s.index;
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
  const onFromLine = stage >= 0 && m.stages[stage].from.getRange().start.line === line;
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
    raw = expandWord(raw, (n) => resolvedValue(m, n, d.stage, d.line, depth + 1), { escape: m.ast.getEscapeCharacter() === '`' ? '`' : '\\' });
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
  return m.ast.getInstructions().find((i) => i.getRange().start.line <= line && i.getRange().end.line >= line);
}
