// Dockerfile text → BuildKit-shaped nodes (one per instruction), with positions.
//
// The one Dockerfile parser of Slipway: the builder, the linter and the editor's language
// features all read a file through it, so what the editor warns about is what the build sees.
// It follows BuildKit's parser (frontend/dockerfile/parser) rule by rule, and the BuildKit parser
// corpus (../shared/corpora/buildkit-parser) is the referee. (An editor AST such as dockerfile-ast,
// which the linter used before, differs in places that change the build: it continues a line
// ending in an escaped escape (`trailing\\`), keeps comment lines inside continuations, takes
// heredoc bodies as arguments and knows nothing of ENV/LABEL triples or the `check` directive.)
//
// Two modes: by default the first error throws a located DockerfileError (the build stops
// there); with `{ recover: true }` (lint, editor) errors are collected and parsing carries on, so
// half-typed text still gives every other finding. Comment lines are kept with their ranges.
// Every node keeps a map from logical-line offsets back to physical positions, so errors,
// variable references and the ranges of runtime/dockerfile/located.ts point at the source.
import { DockerfileError, type Position, type Range } from '../errors.js';
import { expandWords, splitRawWords } from './shell/lex.js';

export interface Directives {
  syntax?: string;
  escape: '\\' | '`';
  check?: string;
  /** Where each directive was written, for diagnostics. */
  ranges: Partial<Record<'syntax' | 'escape' | 'check', Range>>;
}

export interface Heredoc {
  /** The delimiter, quotes removed. */
  name: string;
  /** Body lines, each ending in "\n"; leading tabs already removed for `<<-`. */
  content: string;
  /** False when the delimiter was quoted (`<<"EOF"`, `<<'EOF'`): no variable expansion. */
  expand: boolean;
  chomp: boolean;
  /** `3<<EOF` redirects fd 3; 0 when absent. */
  fd: number;
  range: Range;
  /** The body without the terminator line (empty at the body's start when there is none). */
  contentRange: Range;
}

/** One instruction as BuildKit's parser sees it; `args` is the flattened `Next` chain. */
export interface Node {
  /** Lower-case keyword, e.g. "run". Unknown keywords are kept; the typed layer rejects them. */
  keyword: string;
  /** The logical line: continuations joined, comment lines inside them removed. */
  original: string;
  /** Leading `--name[=value]` words, unquoted, as BuildKit's extractBuilderFlags leaves them. */
  flags: string[];
  args: string[];
  /** The text after keyword and flags (what shell-form commands run). */
  rest: string;
  /** Offset of `rest` inside `original`. */
  restOffset: number;
  /** True when the arguments were a JSON array. */
  json: boolean;
  /** ONBUILD's trigger. */
  sub?: Node;
  heredocs: Heredoc[];
  range: Range;
  /** Maps an offset of `original` to the position it came from. */
  positionAt(offset: number): Position;
}

export interface Warning { message: string; range: Range }

/** A comment line (`#` first after blanks), also inside continuations; `text` is trimmed. */
export interface Comment { text: string; range: Range }

export interface ParseOptions {
  /**
   * Keep going after an error (the editor and the linter parse half-typed text): every error is
   * collected in `errors` with its range, the instruction at fault is kept with the words
   * BuildKit could read, and nothing is thrown. An empty file is not an error in this mode.
   */
  recover?: boolean;
}

export interface ParsedDockerfile {
  file: string;
  directives: Directives;
  nodes: Node[];
  warnings: Warning[];
  /** 0-based lines of the first and last instruction (BuildKit's root span). */
  range: Range;
  comments: Comment[];
  /** With `recover`: what BuildKit would have rejected, in source order. Otherwise empty. */
  errors: DockerfileError[];
}

const MAX_LINE = 65535;
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const WS = /[\t\v\f\r ]+/;
const HEREDOC_WORD = /^(\d*)<<(-?)([^<]*)$/;
/** BuildKit: heredocs are recognised on RUN, COPY and ADD in shell (non-JSON) form only. */
const HEREDOC_KEYWORDS = new Set(['run', 'copy', 'add']);

/** Parse a whole Dockerfile. Throws DockerfileError with the file and range at fault. */
export function parseDockerfile(text: string, file = 'Dockerfile', options: ParseOptions = {}): ParsedDockerfile {
  const lines = splitLines(text);
  const directives: Directives = { escape: '\\', ranges: {} };
  let directivesDone = false;
  const nodes: Node[] = [];
  const warnings: Warning[] = [];
  const comments: Comment[] = [];
  const errors: DockerfileError[] = [];
  // Throws, or with `recover` records the error and lets the caller carry on.
  const raise = (err: DockerfileError): void => { if (options.recover) errors.push(err); else throw err; };
  const lineRange = (i: number): Range => ({ start: { line: i, character: 0 }, end: { line: i, character: lines[i]?.length ?? 0 } });

  const readDirective = (raw: string, i: number): void => {
    if (directivesDone) return;
    const m = DIRECTIVE.exec(raw);
    const key = m?.[1]?.toLowerCase();
    if (!m || (key !== 'syntax' && key !== 'escape' && key !== 'check')) { directivesDone = true; return; }
    if (directives.ranges[key]) { raise(new DockerfileError(`only one ${key} parser directive can be used`, file, lineRange(i))); return; }
    directives.ranges[key] = lineRange(i);
    const value = m[2] ?? '';
    if (key === 'escape') {
      if (value !== '`' && value !== '\\') { raise(new DockerfileError(`invalid escape token '${value}' does not match \` or \\`, file, lineRange(i))); return; }
      directives.escape = value;
    } else directives[key] = value;
  };

  let i = 0;
  while (i < lines.length) {
    const start = i;
    let raw = lines[i++] ?? '';
    if (raw.length > MAX_LINE) raise(new DockerfileError(`dockerfile line greater than max allowed size of ${MAX_LINE}`, file, lineRange(start)));
    const lead = leadingBlanks(raw);
    raw = raw.slice(lead);
    readDirective(raw, start);
    if (isComment(raw)) { comments.push(commentAt(lines[start] ?? '', start)); continue; }
    const cont = continuation(directives.escape);
    const segments: Segment[] = [{ offset: 0, line: start, character: lead }];
    let [line, done] = trimContinuation(raw, cont, directives.escape);
    if (done && line === '') continue;
    let emptyContinuation = false;
    let last = start;
    while (!done && i < lines.length) {
      const phys = lines[i] ?? '';
      const n = i++;
      if (phys.length > MAX_LINE) raise(new DockerfileError(`dockerfile line greater than max allowed size of ${MAX_LINE}`, file, lineRange(n)));
      if (isComment(phys)) { comments.push(commentAt(phys, n)); continue; }
      if (phys.trim() === '') { emptyContinuation = true; continue; }
      const [text2, d2] = trimContinuation(phys, cont, directives.escape);
      segments.push({ offset: line.length, line: n, character: 0 });
      line += text2;
      done = d2;
      last = n;
    }
    if (!done) last = i - 1; // escape at end of file: the instruction just ends there
    const positionAt = makePositionAt(segments);
    const range: Range = { start: { line: start, character: lead }, end: { line: last, character: lines[last]?.length ?? 0 } };
    if (emptyContinuation) warnings.push({ message: `Empty continuation line found in: ${line}`, range });
    let node: Node;
    try {
      node = nodeFromLine(line, directives.escape, file, range, positionAt);
    } catch (err) {
      if (!options.recover || !(err instanceof DockerfileError)) throw err;
      errors.push(err);
      node = bareNode(line, range, positionAt);
    }
    if (HEREDOC_KEYWORDS.has(node.keyword) && !node.json && line.includes('<<')) {
      for (const doc of heredocsFromLine(node.rest)) {
        const bodyStart = i;
        let terminated = false;
        let content = '';
        while (i < lines.length) {
          const phys = lines[i++] ?? '';
          const candidate = doc.chomp ? phys.replace(/^\t+/, '') : phys;
          if (candidate === doc.name) { terminated = true; break; }
          content += (doc.chomp ? candidate : phys) + '\n';
        }
        if (!terminated) raise(new DockerfileError(`unterminated heredoc ${doc.name}`, file, { start: range.start, end: { line: i - 1, character: lines[i - 1]?.length ?? 0 } }));
        // The body ends before the terminator line, or (unterminated, when recovering) at the end.
        const bodyEnd = terminated ? i - 2 : i - 1;
        const contentRange: Range = bodyEnd < bodyStart
          ? { start: { line: bodyStart, character: 0 }, end: { line: bodyStart, character: 0 } }
          : { start: { line: bodyStart, character: 0 }, end: { line: bodyEnd, character: lines[bodyEnd]?.length ?? 0 } };
        node.heredocs.push({ ...doc, content, range: { start: { line: bodyStart, character: 0 }, end: { line: i - 1, character: lines[i - 1]?.length ?? 0 } }, contentRange });
        range.end = { line: i - 1, character: lines[i - 1]?.length ?? 0 };
      }
    }
    nodes.push(node);
  }
  const origin = { line: 0, character: 0 };
  if (nodes.length === 0) {
    if (!options.recover) throw new DockerfileError('file with no instructions', file, { start: origin, end: origin });
    return { file, directives, nodes, warnings, range: { start: origin, end: origin }, comments, errors };
  }
  const first = nodes[0]!.range.start;
  const end = nodes[nodes.length - 1]!.range.end;
  return { file, directives, nodes, warnings, range: { start: first, end }, comments, errors };
}

function commentAt(phys: string, line: number): Comment {
  const lead = leadingBlanks(phys);
  return { text: phys.trim(), range: { start: { line, character: lead }, end: { line, character: phys.length } } };
}

/** What is left of an instruction BuildKit rejected: keyword, flags and text, no arguments. */
function bareNode(line: string, range: Range, positionAt: (o: number) => Position): Node {
  const lead = leadingBlanks(line);
  const trimmed = line.trim();
  const m = WS.exec(trimmed);
  const afterKeyword = m ? trimmed.slice(m.index + m[0].length) : '';
  const { rest, flags } = afterKeyword === '' ? { rest: '', flags: [] } : extractFlags(afterKeyword);
  const keyword = (m ? trimmed.slice(0, m.index) : trimmed).toLowerCase();
  return { keyword, original: line, flags, args: [], rest, restOffset: lead + trimmed.length - rest.length, json: false, heredocs: [], range, positionAt };
}

interface Segment { offset: number; line: number; character: number }

function makePositionAt(segments: Segment[]): (offset: number) => Position {
  return (offset) => {
    let seg = segments[0]!;
    for (const s of segments) if (s.offset <= offset) seg = s; else break;
    return { line: seg.line, character: seg.character + (offset - seg.offset) };
  };
}

/** Lines as Go's bufio.ScanLines yields them: split on \n, a trailing \r dropped, BOM removed. */
function splitLines(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

// These run on every line the editor lints on each keystroke: no regex built per line, and
// the continuation regex only on lines whose last non-blank character is the escape.
const COMMENT = /^\s*#/u;
const NON_BLANK = /\S/u;

function isComment(line: string): boolean {
  return COMMENT.test(line);
}

function leadingBlanks(line: string): number {
  const i = line.search(NON_BLANK);
  return i < 0 ? line.length : i;
}

function escapeRe(ch: string): string { return ch.replace(/[\\`]/g, '\\$&'); }

const CONTINUATIONS = new Map<string, RegExp>();

/** BuildKit's lineContinuationRegex: an unescaped escape char followed only by spaces/tabs. */
function continuation(escape: string): RegExp {
  let re = CONTINUATIONS.get(escape);
  if (!re) {
    const e = escapeRe(escape);
    re = new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`);
    CONTINUATIONS.set(escape, re);
  }
  return re;
}

function trimContinuation(line: string, re: RegExp, escape: string): [string, boolean] {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  if (end === 0 || line[end - 1] !== escape || !re.test(line)) return [line, true];
  return [line.replace(re, '$1'), false];
}

/** BuildKit's newNodeFromLine: split the keyword, pull the flags, parse args per keyword. */
export function nodeFromLine(line: string, escape: string, file: string, range: Range, positionAt: (o: number) => Position): Node {
  const lead = leadingBlanks(line);
  const trimmed = line.trim();
  const m = WS.exec(trimmed);
  const keyword = (m ? trimmed.slice(0, m.index) : trimmed).toLowerCase();
  const afterKeyword = m ? trimmed.slice(m.index + m[0].length) : '';
  const { rest, flags } = afterKeyword === '' ? { rest: '', flags: [] } : extractFlags(afterKeyword);
  const restOffset = lead + trimmed.length - rest.length;
  const node: Node = { keyword, original: line, flags, args: [], rest, restOffset, json: false, heredocs: [], range, positionAt };
  const fail = (message: string): never => { throw new DockerfileError(message, file, range); };
  switch (keyword) {
    case 'run': case 'cmd': case 'entrypoint': case 'shell':
      parseMaybeJson(node, rest, fail);
      break;
    case 'add': case 'copy': case 'volume':
      if (!parseJsonArray(node, rest, fail)) node.args = splitWhitespace(rest);
      break;
    case 'from': case 'expose':
      node.args = splitWhitespace(rest);
      break;
    case 'env': case 'label':
      node.args = parseNameVal(rest, keyword.toUpperCase(), escape, fail);
      break;
    case 'arg':
      node.args = parseWords(rest, escape);
      break;
    case 'user': case 'workdir': case 'maintainer': case 'stopsignal':
      node.args = rest === '' ? [] : [rest];
      break;
    case 'healthcheck': {
      const typ = /^\S*/.exec(rest)?.[0] ?? '';
      if (typ !== '') {
        node.args = [typ];
        const cmd: Node = { ...node, args: [] };
        parseMaybeJson(cmd, rest.slice(typ.length).replace(/^\s+/u, ''), fail);
        node.args.push(...cmd.args);
        node.json = cmd.json;
      }
      break;
    }
    case 'onbuild':
      node.sub = nodeFromLine(rest, escape, file, range, (o) => positionAt(o + restOffset));
      break;
    default:
      // BuildKit's parser keeps unknown keywords with one empty argument; the typed layer
      // reports "unknown instruction" with this node's range.
      node.args = [''];
  }
  return node;
}

function splitWhitespace(rest: string): string[] {
  return rest === '' ? [] : rest.split(WS);
}

function parseMaybeJson(node: Node, rest: string, fail: (m: string) => never): void {
  if (rest === '') return;
  if (!parseJsonArray(node, rest, fail)) node.args = [rest];
}

/** A JSON array of strings → args. Invalid JSON → false (shell form); non-string element → error. */
function parseJsonArray(node: Node, rest: string, fail: (m: string) => never): boolean {
  const text = rest.replace(/^\s+/u, '');
  if (!text.startsWith('[')) return false;
  let value: unknown;
  try { value = JSON.parse(text); } catch { return false; }
  if (!Array.isArray(value)) return false;
  if (!value.every((v): v is string => typeof v === 'string')) fail('dockerfile JSON arrays must contain only strings');
  node.args = value as string[];
  node.json = true;
  return true;
}

/** ENV/LABEL: `k=v ...` pairs or the legacy `KEY rest of line`; values keep their quotes. */
function parseNameVal(rest: string, key: string, escape: string, fail: (m: string) => never): string[] {
  const words = parseWords(rest, escape);
  if (words.length === 0) return [];
  if (!words[0]!.includes('=')) {
    const m = WS.exec(rest);
    if (!m) fail(`${key} must have two arguments`);
    return [rest.slice(0, m!.index), rest.slice(m!.index + m![0].length), ''];
  }
  const out: string[] = [];
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq < 0) fail(`Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    out.push(w.slice(0, eq), w.slice(eq + 1), '=');
  }
  return out;
}

const BLANKS = /\s+/u;

/** BuildKit's parseWords: whitespace-separated words, quotes and escapes kept verbatim. */
export function parseWords(rest: string, escape: string): string[] {
  // Without quotes or escapes this is a split on blanks (same words, no per-character strings).
  if (!rest.includes('"') && !rest.includes("'") && !rest.includes(escape)) return rest.split(BLANKS).filter((w) => w !== '');
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  let blankOK = false;
  const chars = Array.from(rest);
  for (let p = 0; p < chars.length; p++) {
    const ch = chars[p]!;
    if (!inWord && !quote) {
      if (/\s/u.test(ch)) continue;
      inWord = true;
    }
    if (quote) {
      if (ch === quote) quote = '';
      else if (ch === escape && quote !== "'") {
        if (p + 1 === chars.length) continue;
        word += ch;
        p++;
        word += chars[p]!;
        continue;
      }
      word += ch;
      continue;
    }
    if (/\s/u.test(ch)) {
      if (blankOK || word.length > 0) words.push(word);
      word = ''; blankOK = false; inWord = false;
      continue;
    }
    if (ch === "'" || ch === '"') { quote = ch; blankOK = true; }
    if (ch === escape) {
      if (p + 1 === chars.length) continue;
      word += ch;
      p++;
      word += chars[p]!;
      continue;
    }
    word += ch;
  }
  if ((inWord || quote) && (blankOK || word.length > 0)) words.push(word);
  return words;
}

/** BuildKit's extractBuilderFlags: leading `--x[=y]` words (unquoted); a bare `--` ends them. */
const QUOTING = '\'"\\';
const SPACE = /\s/u;

/** `/\s/u` on one character, without the regex for ASCII. */
function isSpaceAt(line: string, pos: number): boolean {
  const c = line.charCodeAt(pos);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return SPACE.test(line[pos]!);
}

export function extractFlags(line: string): { rest: string; flags: string[] } {
  const flags: string[] = [];
  let pos = 0;
  for (;;) {
    while (pos < line.length && isSpaceAt(line, pos)) pos++;
    if (pos >= line.length) return { rest: '', flags };
    if (!line.startsWith('--', pos)) return { rest: line.slice(pos), flags };
    // Most flags have no quote or backslash: take the word as it stands.
    let end = pos;
    while (end < line.length && !isSpaceAt(line, end) && !QUOTING.includes(line[end]!)) end++;
    if (end >= line.length || isSpaceAt(line, end)) {
      const plain = line.slice(pos, end);
      pos = end;
      if (plain === '--') return { rest: pos >= line.length ? '' : line.slice(pos).replace(/^\s+/u, ''), flags };
      flags.push(plain);
      continue;
    }
    let word = '';
    let blankOK = false;
    let quote = '';
    for (; pos < line.length; pos++) {
      const ch = line[pos]!;
      if (quote) {
        if (ch === quote) { quote = ''; continue; }
        if (ch === '\\') { if (pos + 1 === line.length) { quote = ''; continue; } pos++; word += line[pos]; continue; }
        word += ch;
        continue;
      }
      if (/\s/u.test(ch)) break;
      if (ch === "'" || ch === '"') { quote = ch; blankOK = true; continue; }
      if (ch === '\\') { if (pos + 1 === line.length) continue; pos++; word += line[pos]; continue; }
      word += ch;
    }
    if (word === '--') return { rest: pos >= line.length ? '' : line.slice(pos).replace(/^\s+/u, ''), flags };
    if (blankOK || word.length > 0) flags.push(word);
  }
}

/**
 * BuildKit's heredocsFromLine: words (raw quotes) that look like `[n]<<[-]NAME`. The name is
 * the word with quotes removed; any quoting (`<<"EOF"`, `<<'EOF'`, `<<E"O"F`) turns expansion off,
 * which BuildKit detects by lexing the word with and without raw quotes and counting quotes.
 */
function heredocsFromLine(rest: string): Array<Omit<Heredoc, 'content' | 'range' | 'contentRange'>> {
  const docs: Array<Omit<Heredoc, 'content' | 'range' | 'contentRange'>> = [];
  for (const word of splitRawWords(rest)) {
    const m = HEREDOC_WORD.exec(word);
    if (!m || m[3] === '') continue;
    const raw = m[3]!;
    let words: string[];
    let rawWords: string[];
    try {
      words = expandWords(raw, () => undefined, { skipUnset: true });
      rawWords = expandWords(raw, () => undefined, { skipUnset: true, rawQuotes: true });
    } catch { continue; }
    if (words.length !== 1 || rawWords.length !== 1) continue;
    const quotes = (w: string): number => (w.match(/['"]/g) ?? []).length;
    docs.push({ name: words[0]!, expand: quotes(words[0]!) === quotes(rawWords[0]!), chomp: m[2] === '-', fd: m[1] ? Number(m[1]) : 0 });
  }
  return docs;
}
