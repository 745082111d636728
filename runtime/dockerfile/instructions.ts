// BuildKit-shaped nodes → typed instructions (a discriminated union on `kind`).
//
// Values are kept as written (variables unexpanded, quotes kept where BuildKit keeps them):
// expansion needs the build's ARG/ENV scope and happens in the plan. Every instruction keeps
// its 0-based range so errors found later (a failing RUN, an unknown stage) stay located.
import { DockerfileError, type Range } from '../errors.js';
import { FLAG_SPECS, parseFlags, type ParsedFlags } from './flags.js';
import { variableReferences } from './shell/lex.js';
import { parseDockerfile, type Directives, type Heredoc, type Node, type Warning } from './syntax.js';

/** Exec form (JSON array) or shell form (one string, run through SHELL). */
export type CommandLine = { form: 'exec'; args: string[] } | { form: 'shell'; script: string };

export interface KeyValue { key: string; value: string }

interface Base { range: Range; /** The logical source line, for history and messages. */ original: string }

export interface From extends Base { kind: 'FROM'; image: string; stageName?: string; platform?: string }
export interface Run extends Base {
  kind: 'RUN'; command: CommandLine; heredocs: Heredoc[];
  mounts: string[]; network?: string; security?: string; devices: string[];
}
export interface Cmd extends Base { kind: 'CMD'; command: CommandLine }
export interface Entrypoint extends Base { kind: 'ENTRYPOINT'; command: CommandLine }
export interface CopyLike extends Base {
  /** Sources as written; a heredoc source is `<<NAME` with its body in `heredocs`. */
  sources: string[]; dest: string; heredocs: Heredoc[]; json: boolean;
  chown?: string; chmod?: string; link: boolean; exclude: string[];
}
export interface Copy extends CopyLike { kind: 'COPY'; from?: string; parents: boolean }
export interface Add extends CopyLike { kind: 'ADD'; keepGitDir: boolean; checksum?: string; unpack?: boolean }
export interface Env extends Base { kind: 'ENV'; pairs: KeyValue[]; legacy: boolean }
export interface Arg extends Base { kind: 'ARG'; args: Array<{ key: string; value?: string }> }
export interface Label extends Base { kind: 'LABEL'; pairs: KeyValue[]; legacy: boolean }
export interface Expose extends Base { kind: 'EXPOSE'; ports: string[] }
export interface User extends Base { kind: 'USER'; user: string }
export interface Workdir extends Base { kind: 'WORKDIR'; path: string }
export interface Volume extends Base { kind: 'VOLUME'; paths: string[] }
export interface Stopsignal extends Base { kind: 'STOPSIGNAL'; signal: string }
export interface Healthcheck extends Base {
  kind: 'HEALTHCHECK';
  /** NONE disables an inherited check; otherwise the test command. */
  test: 'NONE' | CommandLine;
  interval?: string; timeout?: string; startPeriod?: string; startInterval?: string; retries?: string;
}
export interface Onbuild extends Base { kind: 'ONBUILD'; trigger: Instruction; /** The trigger's text, as Docker stores it. */ expression: string }
export interface Shell extends Base { kind: 'SHELL'; shell: string[] }
export interface Maintainer extends Base { kind: 'MAINTAINER'; name: string }

export type Instruction = From | Run | Cmd | Entrypoint | Copy | Add | Env | Arg | Label | Expose | User
  | Workdir | Volume | Stopsignal | Healthcheck | Onbuild | Shell | Maintainer;
export type InstructionKind = Instruction['kind'];

export interface Dockerfile {
  file: string;
  directives: Directives;
  instructions: Instruction[];
  warnings: Warning[];
  /** The parser nodes, kept for `dump` and position mapping. */
  nodes: Node[];
}

/** Parse text into typed instructions; errors are DockerfileError with file and range. */
export function parseInstructions(text: string, file = 'Dockerfile'): Dockerfile {
  const parsed = parseDockerfile(text, file);
  const instructions = parsed.nodes.map((n) => toInstruction(n, file));
  if (!instructions.some((i) => i.kind === 'FROM')) {
    throw new DockerfileError('no build stage in current context: the Dockerfile has no FROM', file, parsed.nodes[0]!.range);
  }
  return { file, directives: parsed.directives, instructions, warnings: parsed.warnings, nodes: parsed.nodes };
}

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

/** One node → one typed instruction. Exported for ONBUILD triggers replayed in a child build. */
export function toInstruction(node: Node, file: string): Instruction {
  const range = node.range;
  const original = node.original.trim();
  const kw = node.keyword.toUpperCase();
  const fail = (message: string): never => { throw new DockerfileError(message, file, range); };
  const spec = FLAG_SPECS[node.keyword] ?? {};
  const parsed = parseFlags(node.flags, spec);
  if (typeof parsed === 'string') fail(parsed);
  const flags = parsed as ParsedFlags;
  const args = node.args;
  const base = { range, original };
  const command = (): CommandLine => (node.json ? { form: 'exec', args: [...args] } : { form: 'shell', script: args[0] ?? '' });
  switch (node.keyword) {
    case 'from': {
      if (args.length !== 1 && !(args.length === 3 && args[1]!.toLowerCase() === 'as')) fail('FROM requires either one or three arguments');
      const stageName = args.length === 3 ? args[2]!.toLowerCase() : undefined;
      if (stageName !== undefined && !STAGE_NAME.test(stageName)) fail(`invalid name for build stage: "${args[2]}", name can't start with a number or contain symbols`);
      return { kind: 'FROM', ...base, image: args[0]!, stageName, platform: flags.strings.get('platform') };
    }
    case 'run':
      if (args.length === 0 && node.heredocs.length === 0 && !node.json) fail('RUN requires at least one argument');
      return {
        kind: 'RUN', ...base, command: command(), heredocs: node.heredocs,
        mounts: flags.lists.get('mount') ?? [], network: flags.strings.get('network'),
        security: flags.strings.get('security'), devices: flags.lists.get('device') ?? [],
      };
    case 'cmd': case 'entrypoint':
      return { kind: kw as 'CMD' | 'ENTRYPOINT', ...base, command: command() };
    case 'copy': case 'add': {
      if (args.length < 2) fail(`${kw} requires at least two arguments, but only ${args.length === 1 ? 'one was' : 'none were'} provided. Destination could not be determined`);
      if (/^\d*<<-?[^<]+$/.test(args[args.length - 1]!)) fail(`${kw} cannot accept a heredoc as a destination`);
      // `range`/`original` spelled out: a spread followed by eight more properties gave V8 a
      // dictionary-mode object, and spreading that again cost ~10 µs per COPY (same keys, same order).
      const common = {
        range: base.range, original: base.original, sources: args.slice(0, -1), dest: args[args.length - 1]!, heredocs: node.heredocs, json: node.json,
        chown: flags.strings.get('chown'), chmod: flags.strings.get('chmod'), link: flags.bools.get('link') ?? false,
        exclude: flags.lists.get('exclude') ?? [],
      };
      if (node.keyword === 'copy') return { kind: 'COPY', ...common, from: flags.strings.get('from'), parents: flags.bools.get('parents') ?? false };
      return { kind: 'ADD', ...common, keepGitDir: flags.bools.get('keep-git-dir') ?? false, checksum: flags.strings.get('checksum'), unpack: flags.bools.get('unpack') };
    }
    case 'env': case 'label': {
      if (args.length === 0) fail(`${kw} requires at least one argument`);
      const pairs: KeyValue[] = [];
      for (let i = 0; i + 1 < args.length; i += 3) pairs.push({ key: args[i]!, value: args[i + 1]! });
      if (pairs.some((p) => p.key === '')) fail(`${kw} names can not be blank`);
      return { kind: kw as 'ENV' | 'LABEL', ...base, pairs, legacy: args[2] === '' };
    }
    case 'arg': {
      if (args.length === 0) fail('ARG requires at least one argument');
      return {
        kind: 'ARG', ...base,
        args: args.map((w) => {
          const eq = w.indexOf('=');
          if (eq === 0) fail(`ARG names can not be blank: ${w}`);
          return eq < 0 ? { key: w } : { key: w.slice(0, eq), value: w.slice(eq + 1) };
        }),
      };
    }
    case 'expose':
      if (args.length === 0) fail('EXPOSE requires at least one argument');
      return { kind: 'EXPOSE', ...base, ports: [...args] };
    case 'user': case 'workdir': case 'stopsignal': case 'maintainer': {
      if (args.length !== 1) fail(`${kw} requires exactly one argument`);
      const v = args[0]!;
      if (kw === 'USER') return { kind: 'USER', ...base, user: v };
      if (kw === 'WORKDIR') return { kind: 'WORKDIR', ...base, path: v };
      if (kw === 'STOPSIGNAL') return { kind: 'STOPSIGNAL', ...base, signal: v };
      return { kind: 'MAINTAINER', ...base, name: v };
    }
    case 'volume':
      if (args.length === 0 || args.every((a) => a.trim() === '')) fail('VOLUME specified can not be an empty string');
      return { kind: 'VOLUME', ...base, paths: args.filter((a) => a !== '') };
    case 'healthcheck':
      return healthcheck(node, flags, base, fail);
    case 'shell':
      if (!node.json) fail('SHELL requires the arguments to be in JSON form');
      if (args.length === 0) fail('SHELL requires at least one argument');
      return { kind: 'SHELL', ...base, shell: [...args] };
    case 'onbuild': {
      const sub = node.sub;
      if (!sub || sub.keyword === '') fail('ONBUILD requires at least one argument');
      const trigger = toInstruction(sub!, file);
      if (trigger.kind === 'ONBUILD') fail('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
      if (trigger.kind === 'FROM' || trigger.kind === 'MAINTAINER') fail(`${trigger.kind} isn't allowed as an ONBUILD trigger`);
      return { kind: 'ONBUILD', ...base, trigger, expression: sub!.original.trim() };
    }
    default:
      return fail(`unknown instruction: ${kw}`);
  }
}

function healthcheck(node: Node, flags: ParsedFlags, base: Base, fail: (m: string) => never): Healthcheck {
  const [typ, ...rest] = node.args;
  if (typ === undefined) return fail('HEALTHCHECK requires at least one argument');
  const t = typ.toUpperCase();
  if (t === 'NONE') {
    if (rest.length > 0) fail('HEALTHCHECK NONE takes no arguments');
    if (node.flags.length > 0) fail('HEALTHCHECK NONE takes no options');
    return { kind: 'HEALTHCHECK', ...base, test: 'NONE' };
  }
  if (t !== 'CMD') return fail(`Unknown type "${typ}" in HEALTHCHECK (try CMD)`);
  if (rest.length === 0) fail('Missing command after HEALTHCHECK CMD');
  const durations: Array<['interval' | 'timeout' | 'startPeriod' | 'startInterval', string]> =
    [['interval', 'interval'], ['timeout', 'timeout'], ['startPeriod', 'start-period'], ['startInterval', 'start-interval']];
  const out: Healthcheck = {
    kind: 'HEALTHCHECK', ...base,
    test: node.json ? { form: 'exec', args: rest } : { form: 'shell', script: rest[0]! },
  };
  for (const [key, flag] of durations) {
    const v = flags.strings.get(flag);
    if (v === undefined) continue;
    const ns = parseGoDuration(v);
    if (ns === undefined) fail(`invalid duration for --${flag}: ${v}`);
    if (ns !== 0 && ns! < 1_000_000) fail(`${flag} cannot be less than 1ms`);
    out[key] = v;
  }
  const retries = flags.strings.get('retries');
  if (retries !== undefined) {
    if (!/^-?\d+$/.test(retries)) fail(`invalid value for --retries: ${retries}`);
    if (Number(retries) < 0) fail('--retries cannot be negative');
    out.retries = retries;
  }
  return out;
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration ("1m30s", "500ms", "0") → nanoseconds; undefined when invalid. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) { total += Number(m[1]) * UNIT_NS[m[2]!]!; pos = re.lastIndex; }
  return pos === text.length && pos > 0 ? Math.round(total) : undefined;
}

/** Instructions whose arguments the builder expands with ARG/ENV (BuildKit's list). */
const EXPANDED = new Set<InstructionKind>(['FROM', 'COPY', 'ADD', 'ENV', 'ARG', 'LABEL', 'EXPOSE', 'USER', 'WORKDIR', 'VOLUME', 'STOPSIGNAL']);

export interface LocatedVariable { name: string; range: Range }

/**
 * Variables an instruction references in the parts the builder expands, with their Dockerfile
 * ranges (RUN/CMD text is left to the shell at run time, so it is not listed). The lint
 * engine can use this for UndefinedVar; the cache key uses the names.
 */
export function referencedVariables(node: Node, escape: '\\' | '`' = '\\'): LocatedVariable[] {
  const kind = node.keyword.toUpperCase() as InstructionKind;
  if (!EXPANDED.has(kind)) return [];
  // Scan from after the keyword so flag values (--from=$X, --platform=$P) are included.
  const kwEnd = node.original.search(/\S/) + node.keyword.length;
  const text = node.original.slice(kwEnd);
  return variableReferences(text, escape).map((r) => ({
    name: r.name,
    range: { start: node.positionAt(kwEnd + r.offset), end: node.positionAt(kwEnd + r.offset + r.length) },
  }));
}
