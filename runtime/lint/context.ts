// What every rule sees: the parsed Dockerfile (the builder's own BuildKit-faithful parser,
// runtime/dockerfile/syntax.ts, in its recovering mode, with the ranges of every keyword, flag,
// word and pair from runtime/dockerfile/located.ts), its instructions in order with their stage,
// the stages with their parents, and — computed once, on demand — the shell commands of each
// RUN. Rules never parse text themselves, and what they see is exactly what the build sees.
import { DockerfileError, type Position, type Range } from '../errors';
import { toInstruction } from '../dockerfile/instructions';
import { locateHead, locateWords, properties, type Flag, type Property, type Word } from '../dockerfile/located';
import { parseDockerfile, type Heredoc, type Node, type ParsedDockerfile } from '../dockerfile/syntax';
import { parseShell, type ShellScript } from '../shell/words';
import type { LintConfig, LintOptions } from './types';

export type { Flag, Property, Word } from '../dockerfile/located';

export interface Instr {
  /** The parser node (BuildKit's shape: lower-case keyword, logical line, args). */
  node: Node;
  /** Upper-case keyword (`RUN`), as BuildKit compares it. */
  keyword: string;
  /** The keyword as written (`Run`). */
  written: string;
  /** From the keyword to the last non-blank character (heredoc bodies included). */
  range: Range;
  keywordRange: Range;
  /** Index of the stage, -1 before the first FROM. */
  stage: number;
  /** True for the trigger of an `ONBUILD` (its node is the trigger instruction). */
  onbuild: boolean;
  /** An ONBUILD's trigger (the next entry of `LintContext.instrs`). */
  trigger?: Instr;
  flags: Flag[];
  /** Argument values after the flags: the strings of a JSON array, else the words as written. */
  readonly args: string[];
  /** The argument words as written, with their ranges (also in exec form). */
  readonly words: Word[];
  /** From the first argument word to the last, flags excluded. */
  readonly argsRange?: Range;
  /** True when the arguments are a JSON array (exec form) of RUN/CMD/ENTRYPOINT/SHELL/ADD/COPY/VOLUME. */
  json: boolean;
  /** ENV, LABEL and ARG pairs; [] for other keywords. */
  readonly properties: Property[];
  heredocs: Heredoc[];
}

/**
 * An instruction whose words, args and pairs are read on first use: most rules ask for the
 * words of a few keywords only, and RUN (most of a real file's text) rarely needs them.
 * Getters on the prototype keep every instance in V8's fast mode.
 */
class LazyInstr implements Instr {
  keyword: string;
  written: string;
  range: Range;
  keywordRange: Range;
  trigger?: Instr;
  flags: Flag[];
  json: boolean;
  heredocs: Heredoc[];
  private wordsCache?: Word[];
  private argsCache?: string[];
  private propertiesCache?: Property[];

  constructor(readonly node: Node, public stage: number, readonly onbuild: boolean, private readonly escape: string) {
    const head = locateHead(node);
    this.keyword = node.keyword.toUpperCase();
    this.written = head.written;
    this.keywordRange = head.keywordRange;
    // An ONBUILD trigger shares its ONBUILD's node range: it starts at its own keyword.
    this.range = { start: onbuild ? head.keywordRange.start : node.range.start, end: node.heredocs.length > 0 ? node.range.end : head.end };
    this.flags = head.flags;
    this.json = node.json && JSON_KEYWORDS.has(node.keyword);
    this.heredocs = node.heredocs;
  }

  get words(): Word[] {
    this.wordsCache ??= locateWords(this.node, this.escape);
    return this.wordsCache;
  }

  get args(): string[] {
    this.argsCache ??= this.json ? this.node.args : this.words.map((w) => w.value);
    return this.argsCache;
  }

  get argsRange(): Range | undefined {
    const words = this.words;
    return words.length > 0 ? { start: words[0].range.start, end: words[words.length - 1].range.end } : undefined;
  }

  get properties(): Property[] {
    this.propertiesCache ??= PROPERTY_KEYWORDS.has(this.node.keyword) ? properties(this.node, this.words, this.escape) : [];
    return this.propertiesCache;
  }
}

export interface Stage {
  index: number;
  from: Instr;
  /** `AS name` as written, if any. */
  name?: string;
  /** The base image as written (`golang:1.22`, `${BASE}`, `build`). */
  image: string;
  /** Index of the earlier stage this one is built FROM, if any. */
  parent?: number;
  /** The image word's range, and the stage name's (`AS name`) when there is one. */
  imageRange?: Range;
  nameRange?: Range;
  /** Tag and digest of the image reference as written (`3.20`, `sha256:…`). */
  tag?: string;
  digest?: string;
  /** Every instruction after FROM, up to the next FROM. */
  instrs: Instr[];
}

/** A run of script text starting at script offset `at`, copied from source offset `src`. */
export interface Segment { at: number; src: number }

export interface Mount { type: string; target: string; from?: string }

export interface RunScript {
  /** The script text the shell will run, with continuations removed. */
  text: string;
  /** Where each run of `text` comes from in the source (continuations removed between runs). */
  segments: Segment[];
  shell: ShellScript;
  /** False for JSON (exec) form and for non-POSIX shells (SHELL powershell/cmd). */
  posix: boolean;
  mounts: Mount[];
}

/** Source offset of a script offset. */
export function scriptOffset(script: RunScript, i: number): number {
  const segs = script.segments;
  if (segs.length === 0) return 0;
  let lo = 0, hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid].at <= i) lo = mid; else hi = mid - 1;
  }
  return segs[lo].src + (i - segs[lo].at);
}

const NON_POSIX = /(^|[\\/])(pwsh|powershell|cmd)(\.exe)?$/i;

/** Keywords whose JSON form dockerfile users call "exec form" (HEALTHCHECK's CMD is a word). */
const JSON_KEYWORDS = new Set(['run', 'cmd', 'entrypoint', 'shell', 'add', 'copy', 'volume']);
const PROPERTY_KEYWORDS = new Set(['env', 'label', 'arg']);

/** What a context computes on first use; shared by every context over one parse. */
interface Memo {
  scripts: Map<Instr, RunScript>;
  byKeyword: Map<string, Instr[]>;
  typedErrors?: DockerfileError[];
  lines?: string[];
  pragmaShell?: { value: string | undefined };
}

export class LintContext {
  readonly source: string;
  readonly parsed: ParsedDockerfile;
  readonly escape: string;
  readonly instrs: Instr[];
  readonly stages: Stage[];
  /** ARGs before the first FROM. */
  readonly globalArgs: Instr[];
  readonly config: LintConfig;
  readonly lineStarts: number[];
  private readonly memo: Memo;

  /**
   * Parses `source`, or — given another context — reuses that context's parse (and everything
   * it computed on first use) under these options: the editor parses a document version once
   * for its language features and its lints, whatever the settings are when it lints. The
   * parse keeps the file name it was made with (it names the file in parse errors).
   */
  constructor(from: string | LintContext, readonly options: LintOptions = {}) {
    this.config = options.config ?? {};
    if (typeof from !== 'string') {
      ({ source: this.source, parsed: this.parsed, escape: this.escape, instrs: this.instrs, stages: this.stages, globalArgs: this.globalArgs, lineStarts: this.lineStarts, memo: this.memo } = from);
      return;
    }
    const source = from;
    this.source = source;
    this.instrs = [];
    this.stages = [];
    this.globalArgs = [];
    this.lineStarts = [0];
    this.memo = { scripts: new Map(), byKeyword: new Map() };
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    // The parser drops a byte-order mark, which would shift every range on line 0 by one: a
    // blank in its place parses the same (leading blanks are ignored) and keeps columns true.
    const text = source.charCodeAt(0) === 0xfeff ? ` ${source.slice(1)}` : source;
    this.parsed = parseDockerfile(text, options.file ?? 'Dockerfile', { recover: true });
    this.escape = this.parsed.directives.escape;
    const names = new Map<string, number>();
    for (const node of this.parsed.nodes) {
      const instr = this.toInstr(node, this.stages.length - 1, false);
      if (instr.keyword === 'FROM') {
        const [imageArg, asArg, nameArg] = instr.words;
        const named = asArg !== undefined && nameArg !== undefined && asArg.value.toLowerCase() === 'as';
        const name = named ? nameArg.value : undefined;
        const image = imageArg?.value ?? '';
        const parent = names.get(image.toLowerCase());
        // `${VAR:-x}` holds colons that are not a tag separator: mask variables first.
        const masked = image.replace(/\$\{[^}]*\}/g, (v) => '$'.repeat(v.length));
        const at = masked.indexOf('@');
        const ref = at >= 0 ? masked.slice(0, at) : masked;
        const colon = ref.lastIndexOf(':');
        const stage: Stage = {
          index: this.stages.length, from: instr, name, image, parent, instrs: [],
          imageRange: imageArg?.range, nameRange: named ? nameArg.range : undefined,
          tag: colon > ref.lastIndexOf('/') ? image.slice(colon + 1, at >= 0 ? at : undefined) : undefined,
          digest: at >= 0 ? image.slice(at + 1) : undefined,
        };
        instr.stage = stage.index;
        this.stages.push(stage);
        if (name) names.set(name.toLowerCase(), stage.index);
      } else if (this.stages.length > 0) {
        this.stages[this.stages.length - 1].instrs.push(instr);
      } else if (instr.keyword === 'ARG') {
        this.globalArgs.push(instr);
      }
      this.instrs.push(instr);
      if (node.sub) {
        instr.trigger = this.toInstr(node.sub, instr.stage, true);
        this.instrs.push(instr.trigger);
      }
    }
  }

  /**
   * What the builder would reject, located: BuildKit's parser errors, then the typed layer's
   * (unknown instruction or flag, wrong argument count) for the instructions that parsed. The
   * rest of the file is linted all the same. Computed on first use.
   */
  get parseErrors(): readonly DockerfileError[] {
    let typed = this.memo.typedErrors;
    if (!typed) {
      const failed = new Set(this.parsed.errors.map((e) => e.range.start.line));
      typed = [...this.parsed.errors];
      this.memo.typedErrors = typed;
      for (const node of this.parsed.nodes) {
        if (failed.has(node.range.start.line)) continue;
        try {
          toInstruction(node, this.parsed.file);
        } catch (err) {
          if (!(err instanceof DockerfileError)) throw err;
          typed.push(err);
        }
      }
    }
    return typed;
  }

  private toInstr(node: Node, stage: number, onbuild: boolean): Instr {
    return new LazyInstr(node, stage, onbuild, this.escape);
  }

  /** Instructions with the given keyword, ONBUILD triggers included unless `onbuild` is false. */
  of(keyword: string, onbuild = true): Instr[] {
    // Rules ask for the same keywords over and over: filter once per (keyword, onbuild).
    const key = onbuild ? keyword : `${keyword}\0`;
    let hit = this.memo.byKeyword.get(key);
    if (!hit) {
      hit = this.instrs.filter((i) => i.keyword === keyword && (onbuild || !i.onbuild));
      this.memo.byKeyword.set(key, hit);
    }
    // A copy: callers may sort or splice what they get.
    return hit.slice();
  }

  flag(instr: Instr, name: string): string | undefined {
    const f = instr.flags.find((x) => x.name.toLowerCase() === name);
    return f ? (f.value ?? '') : undefined;
  }

  stageOf(instr: Instr): Stage | undefined {
    return instr.stage >= 0 ? this.stages[instr.stage] : undefined;
  }

  /** The stage and its ancestors through `FROM <stage>`, nearest first. */
  lineage(stage: Stage): Stage[] {
    const out: Stage[] = [];
    for (let s: Stage | undefined = stage; s && !out.includes(s); s = s.parent === undefined ? undefined : this.stages[s.parent]) out.push(s);
    return out;
  }

  /** Stages that end up in an image: the last one and every one used as a FROM base. */
  isImageStage(stage: Stage): boolean {
    return stage.index === this.stages.length - 1 || this.stages.some((s) => s.parent === stage.index);
  }

  positionAt(offset: number): Position {
    let lo = 0, hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: offset - this.lineStarts[lo] };
  }

  offsetAt(p: Position): number {
    return (this.lineStarts[p.line] ?? this.source.length) + p.character;
  }

  /** A line without its end-of-line characters; '' past the end. */
  lineText(line: number): string {
    this.memo.lines ??= this.source.split(/\r?\n/);
    return this.memo.lines[line] ?? '';
  }

  /** The first line of an instruction, as the range findings point at by default. */
  firstLine(instr: Instr): Range {
    const line = instr.range.start.line;
    const text = this.lineText(line);
    return { start: instr.range.start, end: { line, character: text.replace(/\s+$/, '').length } };
  }

  /** Range of script characters [start, end) in the source. */
  scriptRange(script: RunScript, start: number, end: number): Range {
    const a = scriptOffset(script, start);
    const b = end > start ? scriptOffset(script, end - 1) + 1 : a;
    return { start: this.positionAt(a), end: this.positionAt(b) };
  }

  /** The SHELL in force for an instruction: the last SHELL earlier in its stage lineage. */
  shellFor(instr: Instr): string[] | undefined {
    const stage = this.stageOf(instr);
    if (!stage) return undefined;
    for (const s of this.lineage(stage)) {
      const shells = s.instrs.filter((i) => i.keyword === 'SHELL' && !i.onbuild && (s !== stage || i.range.start.line < instr.range.start.line));
      if (shells.length > 0) return shells[shells.length - 1].args;
    }
    return undefined;
  }

  /** `# hadolint shell=pwsh`: the shell RUN uses when the Dockerfile has no SHELL for it. */
  get pragmaShell(): string | undefined {
    this.memo.pragmaShell ??= { value: /^\s*#\s*hadolint\s+shell\s*=\s*(\S+)/im.exec(this.source)?.[1] };
    return this.memo.pragmaShell.value;
  }

  /** The shell script of a RUN (or HEALTHCHECK/CMD shell form): parsed once, cached. */
  script(instr: Instr): RunScript {
    let s = this.memo.scripts.get(instr);
    if (!s) { s = this.buildScript(instr); this.memo.scripts.set(instr, s); }
    return s;
  }

  private buildScript(instr: Instr): RunScript {
    const mounts: Mount[] = [];
    for (const f of instr.flags) {
      if (f.name.toLowerCase() !== 'mount') continue;
      const opts = new Map((f.value ?? '').split(',').map((o) => {
        const eq = o.indexOf('=');
        return eq < 0 ? [o.toLowerCase(), ''] : [o.slice(0, eq).toLowerCase(), o.slice(eq + 1)];
      }));
      mounts.push({ type: opts.get('type') ?? 'bind', target: opts.get('target') ?? opts.get('dst') ?? opts.get('destination') ?? '', from: opts.get('from') });
    }
    const shell = this.shellFor(instr) ?? (this.pragmaShell ? [this.pragmaShell] : undefined);
    const posix = !instr.json && !(shell && shell[0] !== undefined && NON_POSIX.test(shell[0]));
    const { text, segments } = this.extractScript(instr);
    return { text, segments, shell: posix ? parseShell(text) : { commands: [], hasPipe: false }, posix, mounts };
  }

  /**
   * Rebuilds the text the shell receives: line continuations (escape + newline) removed, and
   * comment or empty lines inside a continuation dropped, as the Dockerfile parser does. With a
   * heredoc whose command is only the heredoc (or `sh`/`bash` reading it), the body is the script.
   */
  private extractScript(instr: Instr): { text: string; segments: Segment[] } {
    // The first argument word, without splitting the (often long) command into words.
    const { original, restOffset } = instr.node;
    const first = original.slice(restOffset).search(/\S/u);
    if (first < 0) return { text: '', segments: [] };
    const src = this.source;
    const heredocs = instr.keyword === 'RUN' ? instr.heredocs : [];
    const startOff = this.offsetAt(instr.node.positionAt(restOffset + first));
    let endOff = this.offsetAt(instr.range.end);
    // With heredocs, the command is the line that opens the first one; bodies follow it.
    if (heredocs.length > 0) {
      const line = heredocs[0].range.start.line - 1;
      endOff = Math.min(endOff, (this.lineStarts[line + 1] ?? src.length + 1) - 1);
    }
    const parts: string[] = [];
    const segments: Segment[] = [];
    let length = 0;
    const push = (from: number, to: number): void => {
      if (to <= from) return;
      segments.push({ at: length, src: from });
      parts.push(src.slice(from, to));
      length += to - from;
    };
    for (let ls = startOff; ls < endOff;) {
      let nl = src.indexOf('\n', ls);
      if (nl < 0 || nl > endOff) nl = endOff;
      let le = nl > ls && src[nl - 1] === '\r' ? nl - 1 : nl;
      const first = ls === startOff;
      const body = src.slice(ls, le);
      const trimmed = body.trimStart();
      // Inside a continuation, comment lines and empty lines are not part of the command.
      if (!first && (trimmed === '' || trimmed.startsWith('#'))) { ls = nl + 1; continue; }
      const end = body.trimEnd();
      if (end.endsWith(this.escape)) {
        le = ls + end.length - 1; // drop the escape and what follows it: the lines join
        push(ls, le);
      } else {
        push(ls, le);
        if (nl < endOff) { push(nl, nl + 1); }
      }
      ls = nl + 1;
    }
    let text = parts.join('');
    if (heredocs.length > 0) {
      const onlyHeredoc = /^(((\/usr)?\/bin\/)?(sh|bash|ash|dash|zsh)( -[a-z]+)*\s+)?<<-?["']?\w+["']?$/.test(text.trim());
      const content = heredocs[0].contentRange;
      if (onlyHeredoc) {
        const a = this.offsetAt(content.start), b = this.offsetAt(content.end);
        segments.length = 0;
        segments.push({ at: 0, src: a });
        text = src.slice(a, b);
        // CRLF bodies: the shell reader treats \r as a blank, so offsets stay one-to-one.
      }
    }
    return { text, segments };
  }

}
