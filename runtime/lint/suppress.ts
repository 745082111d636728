// Suppressions written in the Dockerfile, in the two dialects users already have:
//
// - hadolint pragmas: `# hadolint ignore=DL3008,DL3015` (the next instruction; comments may sit
//   between), `# hadolint global ignore=…` (the whole file), `# hadolint stage ignore=…` (above a
//   FROM: that stage). Text after a further `#` is a reason. (`# hadolint shell=…` is read by
//   the context: it decides which RUNs are POSIX shell.)
// - BuildKit's `check` directive: `# check=skip=Rule1,Rule2;error=true;experimental=Rule3` as a
//   parser directive at the top (the whole file), or as a comment directly above an instruction
//   (that instruction), as BuildKit's `WithMergedConfigFromComments` does.
//
// The "ignore this rule here" quick fix writes the dialect that fits the rule's family.
import type { LintContext, Instr } from './context';
import type { Rule } from './rule';
import type { Fix } from './types';

export interface CheckConfig {
  skipAll: boolean;
  skip: Set<string>;
  error: boolean;
  experimentalAll: boolean;
  experimental: Set<string>;
}

export interface Suppressions {
  /** The file-wide `# check=` parser directive. */
  check: CheckConfig;
  globalIgnore: Set<string>;
  /** Codes ignored by pragmas, keyed by the instruction's first line. */
  instrIgnore: Map<number, Set<string>>;
  /** `# check=` comments directly above an instruction, keyed by its first line. */
  instrCheck: Map<number, CheckConfig>;
  stageIgnore: Map<number, Set<string>>;
}

const PRAGMA = /^#\s*hadolint\s+(global\s+|stage\s+)?ignore\s*=\s*([A-Za-z0-9_,\s]+?)\s*(#.*)?$/i;
const CHECK = /^#\s*check\s*=\s*(.*)$/i;

export function emptyCheck(): CheckConfig {
  return { skipAll: false, skip: new Set(), error: false, experimentalAll: false, experimental: new Set() };
}

/** Parses the value of a `check` directive (`skip=A,B;error=true`), as BuildKit does. */
export function parseCheck(value: string, into: CheckConfig = emptyCheck()): CheckConfig {
  const v = value.trim().split(/\s/)[0] ?? '';
  for (const part of v.split(';').slice(0, 3)) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const val = part.slice(eq + 1).trim();
    const list = val.split(',').map((x) => x.trim()).filter(Boolean);
    if (key === 'skip') {
      if (list.some((x) => x.toLowerCase() === 'all')) into.skipAll = true;
      for (const x of list) into.skip.add(x);
    } else if (key === 'error') {
      into.error = val.toLowerCase() === 'true';
    } else if (key === 'experimental') {
      if (list.some((x) => x.toLowerCase() === 'all')) into.experimentalAll = true;
      for (const x of list) into.experimental.add(x);
    }
  }
  return into;
}

function codes(list: string): string[] {
  return list.split(',').map((x) => x.trim()).filter(Boolean);
}

/** Comment lines (trimmed text) directly above a line, nearest first; stops at anything else. */
export function commentBlockAbove(ctx: LintContext, line: number): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  for (let l = line - 1; l >= 0; l--) {
    const text = ctx.lineText(l).trim();
    if (!text.startsWith('#')) break;
    out.push({ line: l, text });
  }
  return out;
}

export function readSuppressions(ctx: LintContext): Suppressions {
  const sup: Suppressions = {
    check: emptyCheck(), globalIgnore: new Set(), instrIgnore: new Map(), instrCheck: new Map(), stageIgnore: new Map(),
  };
  const check = ctx.parsed.directives.check;
  if (check !== undefined) parseCheck(check, sup.check);
  const pragmas = ctx.config.disableIgnorePragma !== true;
  for (const comment of ctx.parsed.comments) {
    const m = PRAGMA.exec(comment.text);
    if (m && pragmas && m[1]?.trim().toLowerCase() === 'global') for (const c of codes(m[2])) sup.globalIgnore.add(c);
  }
  for (const instr of ctx.instrs) {
    if (instr.onbuild) continue;
    const line = instr.range.start.line;
    for (const { text } of commentBlockAbove(ctx, line)) {
      const m = PRAGMA.exec(text);
      if (m && pragmas) {
        const scope = m[1]?.trim().toLowerCase();
        if (scope === 'stage' && instr.keyword === 'FROM') addAll(sup.stageIgnore, instr.stage, codes(m[2]));
        else if (scope === undefined) addAll(sup.instrIgnore, line, codes(m[2]));
      }
      const c = CHECK.exec(text);
      if (c) sup.instrCheck.set(line, parseCheck(c[1], sup.instrCheck.get(line)));
    }
  }
  return sup;
}

function addAll<K>(map: Map<K, Set<string>>, key: K, list: string[]): void {
  let set = map.get(key);
  if (!set) { set = new Set(); map.set(key, set); }
  for (const c of list) set.add(c);
}

/** The instruction whose lines contain `line`, if any (ONBUILD triggers map to their ONBUILD). */
export function instrAtLine(ctx: LintContext, line: number): Instr | undefined {
  let lo = 0, hi = ctx.instrs.length - 1, found: Instr | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ctx.instrs[mid].range;
    if (r.start.line > line) hi = mid - 1;
    else if (r.end.line < line) lo = mid + 1;
    else { found = ctx.instrs[mid]; break; }
  }
  return found && found.onbuild ? ctx.instrs[ctx.instrs.indexOf(found) - 1] : found;
}

/** Is `code` suppressed at this instruction (or, without one, in the whole file)? */
export function isSuppressed(sup: Suppressions, ctx: LintContext, rule: Rule, instr: Instr | undefined): boolean {
  const code = rule.code;
  if (sup.globalIgnore.has(code)) return true;
  if (!rule.experimental && (sup.check.skipAll || sup.check.skip.has(code))) return true;
  if (!instr) return false;
  const line = instr.range.start.line;
  if (sup.instrIgnore.get(line)?.has(code)) return true;
  const local = sup.instrCheck.get(line);
  if (local && !rule.experimental && (local.skipAll || local.skip.has(code))) return true;
  const stage = ctx.stageOf(instr);
  if (stage && sup.stageIgnore.get(stage.index)?.has(code)) return true;
  return false;
}

/** Does any `# check=experimental=` of the file (top or above an instruction) name this rule? */
export function mayEnableExperimental(sup: Suppressions, rule: Rule): boolean {
  const on = (c: CheckConfig): boolean => c.experimentalAll || c.experimental.has(rule.code);
  if (on(sup.check)) return true;
  for (const c of sup.instrCheck.values()) if (on(c)) return true;
  return false;
}

/** Is an experimental rule enabled at this instruction? */
export function experimentalEnabled(sup: Suppressions, rule: Rule, instr: Instr | undefined): boolean {
  const on = (c: CheckConfig | undefined): boolean => !!c && (c.experimentalAll || c.experimental.has(rule.code));
  return on(sup.check) || (instr !== undefined && on(sup.instrCheck.get(instr.range.start.line)));
}

/**
 * "Ignore this rule here": hadolint rules get `# hadolint ignore=CODE` above the instruction,
 * BuildKit rules `# check=skip=Code` (BuildKit reads it from the comments above an instruction).
 * An existing pragma of the same dialect directly above is extended instead of duplicated.
 */
export function ignoreFix(ctx: LintContext, rule: Rule, instr: Instr | undefined, line: number): Fix {
  const target = instr ? instr.range.start.line : line;
  const indent = /^\s*/.exec(ctx.lineText(target))?.[0] ?? '';
  const hadolint = rule.family === 'hadolint';
  const title = hadolint ? `Ignore ${rule.code} for this instruction (# hadolint ignore)` : `Skip ${rule.code} for this instruction (# check=skip)`;
  for (const { line: l, text } of commentBlockAbove(ctx, target)) {
    const raw = ctx.lineText(l);
    const m = hadolint ? /^(\s*#\s*hadolint\s+ignore\s*=\s*[A-Za-z0-9_,]+)/i.exec(raw) : /^(\s*#\s*check\s*=\s*(?:[^;]*;)*?\s*skip\s*=\s*[A-Za-z0-9_,]+)/i.exec(raw);
    if (m && !/^#\s*hadolint\s+(global|stage)/i.test(text)) {
      const at = { line: l, character: m[1].length };
      return { title, edits: [{ range: { start: at, end: at }, newText: `,${rule.code}` }] };
    }
  }
  // A `# check=` line without `skip=` (e.g. `# check=error=true`) gets one: BuildKit allows a
  // single check directive, so a second line would break the build.
  if (!hadolint) {
    for (const { line: l } of commentBlockAbove(ctx, target)) {
      const raw = ctx.lineText(l);
      if (/^\s*#\s*check\s*=/i.test(raw) && !/skip\s*=/i.test(raw)) {
        const at = { line: l, character: raw.trimEnd().length };
        return { title, edits: [{ range: { start: at, end: at }, newText: `;skip=${rule.code}` }] };
      }
    }
  }
  const at = { line: target, character: 0 };
  const comment = hadolint ? `# hadolint ignore=${rule.code}` : `# check=skip=${rule.code}`;
  return { title, edits: [{ range: { start: at, end: at }, newText: `${indent}${comment}${eol(ctx)}` }] };
}

export function eol(ctx: LintContext): string {
  return ctx.source.includes('\r\n') ? '\r\n' : '\n';
}
