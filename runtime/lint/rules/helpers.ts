// Shared pieces for rules: shell-command queries (flags, positional arguments, cache mounts),
// Dockerfile variable references, and small range helpers. Pure functions of the context.
import { unquoteWord } from '../../dockerfile/located';
import type { Range } from '../../errors';
import type { SimpleCommand, Word } from '../../shell/words';
import type { Instr, LintContext, RunScript } from '../context';
import type { RuleHit } from '../rule';

/** The RUN instructions with a POSIX shell script, ONBUILD RUN included, with their scripts. */
export function shellRuns(ctx: LintContext): { instr: Instr; script: RunScript }[] {
  // Dozens of rules walk the same RUNs: collect them once per context (a copy per caller).
  let out = runsOf.get(ctx);
  if (!out) {
    out = [];
    for (const instr of ctx.of('RUN')) {
      const script = ctx.script(instr);
      if (script.posix) out.push({ instr, script });
    }
    runsOf.set(ctx, out);
  }
  return out.slice();
}

const runsOf = new WeakMap<LintContext, { instr: Instr; script: RunScript }[]>();
const basesOf = new WeakMap<RunScript, string[]>();

/** Commands named `name` (or any of `names`), ignoring a leading path (`/usr/bin/apt-get`). */
export function commandsNamed(script: RunScript, ...names: string[]): readonly SimpleCommand[] {
  const cmds = script.shell.commands;
  // The base names of a script's commands, computed once for all the rules that ask.
  let bases = basesOf.get(script);
  if (!bases) { bases = cmds.map((c) => baseName(c.name)); basesOf.set(script, bases); }
  let out: SimpleCommand[] | undefined;
  for (let i = 0; i < cmds.length; i++) if (names.includes(bases[i])) (out ??= []).push(cmds[i]);
  // Most scripts have none of the commands a rule asks for: one shared empty answer.
  return out ?? NO_COMMANDS;
}

const NO_COMMANDS: readonly SimpleCommand[] = Object.freeze([]);

export function baseName(name: string): string {
  const i = name.lastIndexOf('/');
  return i >= 0 ? name.slice(i + 1) : name;
}

/**
 * True when a command has one of the flags. Short flags are letters (`'y'` matches `-y`, `-qy`),
 * long flags are full words (`'--yes'`, matched also as `--yes=…`).
 */
export function hasFlag(cmd: SimpleCommand, short: string, ...long: string[]): boolean {
  return cmd.args.some((a) => isFlag(a.value, short, long));
}

function isFlag(v: string, short: string, long: string[]): boolean {
  if (v.startsWith('--')) return long.some((l) => v === l || v.startsWith(`${l}=`));
  if (v.startsWith('-') && v.length > 1 && short) return [...v.slice(1)].some((ch) => short.includes(ch)) && /^-[A-Za-z]+$/.test(v);
  return false;
}

/**
 * Positional arguments, skipping flags and the values of flags that take one
 * (`withValue`: `-t`, `--target-release`; `--opt=value` never consumes the next word).
 */
export function positionals(cmd: SimpleCommand, withValue: string[] = []): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < cmd.args.length; i++) {
    const v = cmd.args[i].value;
    if (v === '--') { out.push(...cmd.args.slice(i + 1)); break; }
    if (v.startsWith('-') && v.length > 1) {
      if (withValue.includes(v)) i++;
      continue;
    }
    out.push(cmd.args[i]);
  }
  return out;
}

/** The command's subcommand (first positional), e.g. `install` in `apt-get -q install x`. */
export function subcommand(cmd: SimpleCommand, withValue: string[] = []): { word?: Word; rest: Word[] } {
  const pos = positionals(cmd, withValue);
  return { word: pos[0], rest: pos.slice(1) };
}

/** True when a RUN has a cache or tmpfs mount whose target is (under) one of the paths. */
export function cacheMountCovers(script: RunScript, ...paths: string[]): boolean {
  return script.mounts.some((m) => (m.type === 'cache' || m.type === 'tmpfs')
    && paths.some((p) => trimSlash(m.target) === trimSlash(p) || trimSlash(p).startsWith(`${trimSlash(m.target)}/`)));
}

export function cacheMountContaining(script: RunScript, fragment: string): boolean {
  return script.mounts.some((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target.includes(fragment));
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

export interface VarRef { name: string; start: number; end: number; hasDefault: boolean }

/**
 * `$NAME` and `${NAME…}` references in a Dockerfile word, the way BuildKit's shell lexer sees
 * them: not inside single quotes, not after the escape character.
 */
export function varRefs(text: string, escape = '\\'): VarRef[] {
  const out: VarRef[] = [];
  let single = false, double = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === escape && !single) { i++; continue; }
    if (c === "'" && !double) { single = !single; continue; }
    if (c === '"' && !single) { double = !double; continue; }
    if (c !== '$' || single) continue;
    if (text[i + 1] === '{') {
      const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-+?]|[#%]{1,2})?/.exec(text.slice(i));
      if (!m) continue;
      const close = text.indexOf('}', i);
      out.push({ name: m[1], start: i, end: close < 0 ? text.length : close + 1, hasDefault: m[2] !== undefined && m[2].includes('-') });
      i = (close < 0 ? text.length : close);
    } else {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
      if (!m) continue;
      out.push({ name: m[1], start: i, end: i + m[0].length, hasDefault: false });
      i += m[0].length - 1;
    }
  }
  return out;
}

/**
 * The arguments as BuildKit's shell lexer hands them to COPY/ADD: shell-form words with their
 * quotes and escapes removed (nothing expanded), a JSON array's strings as they are.
 */
export function unquotedArgs(ctx: LintContext, instr: Instr): string[] {
  return instr.json ? instr.args : instr.args.map((a) => unquoteWord(a, ctx.escape));
}

export { editDistance, suggest } from '../../common/suggest';

/** A hit on a script word (precise range), or on the instruction's first line. */
export function wordHit(ctx: LintContext, script: RunScript, word: Word | undefined, instr: Instr, message: string): RuleHit {
  return { range: word ? ctx.scriptRange(script, word.start, word.end) : ctx.firstLine(instr), message };
}

export function point(line: number, character: number): Range {
  return { start: { line, character }, end: { line, character } };
}

/** The source text of a range. */
export function textOf(ctx: LintContext, r: Range): string {
  return ctx.source.slice(ctx.offsetAt(r.start), ctx.offsetAt(r.end));
}

export interface Expansion { result: string; matched: Set<string>; unmatched: Set<string> }

/**
 * Expands `$VAR`, `${VAR}` and the `-`/`+` (with or without `:`) modifiers the way BuildKit's
 * lexer does for FROM and --platform; `#`/`%` trims are kept unexpanded (rare in FROM).
 * Every name looked up goes to `matched` or `unmatched`, even when a default is used.
 */
export function expand(word: string, env: ReadonlyMap<string, string>, escape = '\\'): Expansion {
  const matched = new Set<string>(), unmatched = new Set<string>();
  let result = '';
  let last = 0;
  for (const ref of varRefs(word, escape)) {
    result += word.slice(last, ref.start);
    last = ref.end;
    const set = env.has(ref.name);
    (set ? matched : unmatched).add(ref.name);
    const value = env.get(ref.name) ?? '';
    const m = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:?)([-+?])(.*)\}$/.exec(word.slice(ref.start, ref.end));
    if (m) {
      const empty = !set || (m[1] === ':' && value === '');
      const inner = expand(m[3], env, escape);
      for (const n of inner.matched) matched.add(n);
      for (const n of inner.unmatched) unmatched.add(n);
      result += m[2] === '-' ? (empty ? inner.result : value) : m[2] === '+' ? (empty ? '' : inner.result) : value;
    } else {
      result += value;
    }
  }
  result += word.slice(last);
  return { result: result.replace(/["']/g, ''), matched, unmatched };
}

/** Build arguments BuildKit defines for FROM without any ARG. */
export const BUILTIN_FROM_ARGS = [
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'TARGETSTAGE',
];

const argEnvs = new WeakMap<LintContext, Map<boolean, ReadonlyMap<string, string>>>();

/** Global ARG name → default value ('' when declared without one), as FROM sees them. */
export function globalArgEnv(ctx: LintContext, withBuiltins: boolean): ReadonlyMap<string, string> {
  // Asked once per stage by several rules: computed once per context.
  let byKind = argEnvs.get(ctx);
  if (!byKind) { byKind = new Map(); argEnvs.set(ctx, byKind); }
  let env = byKind.get(withBuiltins);
  if (!env) { env = computeGlobalArgEnv(ctx, withBuiltins); byKind.set(withBuiltins, env); }
  return env;
}

function computeGlobalArgEnv(ctx: LintContext, withBuiltins: boolean): Map<string, string> {
  const env = new Map<string, string>();
  if (withBuiltins) {
    env.set('BUILDPLATFORM', 'linux/amd64'); env.set('BUILDOS', 'linux'); env.set('BUILDARCH', 'amd64'); env.set('BUILDVARIANT', '');
    env.set('TARGETPLATFORM', 'linux/amd64'); env.set('TARGETOS', 'linux'); env.set('TARGETARCH', 'amd64'); env.set('TARGETVARIANT', ''); env.set('TARGETSTAGE', '');
  }
  for (const instr of ctx.globalArgs) {
    for (const a of instr.args) {
      const eq = a.indexOf('=');
      if (eq < 0) { if (!env.has(a)) env.set(a, ''); continue; }
      const value = expand(a.slice(eq + 1), env, ctx.escape).result;
      env.set(a.slice(0, eq), value);
    }
  }
  return env;
}

/** Names declared by global ARGs (with or without a default). */
export function globalArgNames(ctx: LintContext): Set<string> {
  const out = new Set<string>();
  for (const instr of ctx.globalArgs) for (const a of instr.args) out.add(a.split('=')[0]);
  return out;
}

/** The source range of the first `$name`/`${name` in an instruction, else its first line. */
export function varRange(ctx: LintContext, instr: Instr, name: string): Range {
  const a = ctx.offsetAt(instr.range.start), b = ctx.offsetAt(instr.range.end);
  const text = ctx.source.slice(a, b);
  const re = new RegExp(`\\$(\\{${name}\\b[^}]*\\}?|${name}\\b)`);
  const m = re.exec(text);
  if (!m) return ctx.firstLine(instr);
  return { start: ctx.positionAt(a + m.index), end: ctx.positionAt(a + m.index + m[0].length) };
}
