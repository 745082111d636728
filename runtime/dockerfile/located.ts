// Where things are written: the keyword, each flag (name and value), each argument word, each
// JSON string and each ENV/LABEL/ARG pair of a parser node, with their source ranges. The
// linter and the editor need these; the builder does not (it reads the BuildKit-shaped `Node`).
//
// Everything is read back from the node's logical line (`original`: continuations joined,
// comment lines removed, exactly what BuildKit parsed), and mapped to source positions through
// the node's own `positionAt`, so a word on a continuation line points at that line.
import type { Position, Range } from '../errors.js';
import type { Node } from './syntax.js';

/** A word of the logical line, as written (quotes and escapes kept). */
export interface Word {
  readonly value: string;
  readonly range: Range;
  /** Offsets of the word in the node's `original`, end exclusive. */
  readonly start: number;
  readonly end: number;
}

/** `--name[=value]` before the arguments. */
export interface Flag {
  /** As written after `--` (case kept). */
  name: string;
  /** Quotes and escapes removed, as BuildKit reads it; undefined for a bare `--link`. */
  value?: string;
  /** The flag word as written, `--mount=type=cache,target=/x`. */
  raw: string;
  range: Range;
  nameRange: Range;
  /** The text after `=` (possibly empty); undefined without `=`. */
  valueRange?: Range;
  /** Offset of the leading `--` in the node's `original` (to map parts of the value). */
  start: number;
}

/** One `key=value` of ENV, LABEL or ARG, or the single pair of the legacy `KEY value` form. */
export interface Property {
  /** Quotes removed. */
  name: string;
  /** Quotes and escapes removed; undefined when the word has no `=` (`ARG NAME`, legacy `ENV A`). */
  value?: string;
  /** False for the legacy `ENV KEY value` form and for a word without `=`. */
  assigned: boolean;
  range: Range;
  nameRange: Range;
  valueRange?: Range;
}

export interface Located {
  /** The keyword as written (`Run`); `node.keyword` is lower-case. */
  written: string;
  keywordRange: Range;
  flags: Flag[];
  /**
   * The words after the flags, split as BuildKit's parser splits that instruction: on blanks
   * alone for FROM, COPY, ADD, VOLUME and EXPOSE, honouring quotes and escapes for the others.
   */
  words: Word[];
  /** The strings of an exec-form (JSON) argument list, with their ranges; [] in shell form. */
  jsonStrings: Word[];
  /** Last non-blank character of the logical line, mapped back (end exclusive). */
  end: Position;
}

// Go's unicode.IsSpace without '\n' (a logical line has none), which BuildKit splits words on.
const BLANK = /[\t\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

function isBlank(ch: string): boolean {
  const c = ch.charCodeAt(0);
  // ASCII first (this runs per character of every instruction); the regex only beyond it.
  if (c < 128) return c === 32 || (c >= 9 && c <= 13 && c !== 10);
  return BLANK.test(ch);
}

/** Source range of [start, end) of a node's logical line (end mapped from its last character). */
export function rangeOf(node: Node, start: number, end: number): Range {
  const s = node.positionAt(start);
  if (end <= start) return { start: s, end: s };
  const last = node.positionAt(end - 1);
  return { start: s, end: { line: last.line, character: last.character + 1 } };
}

/**
 * Words of `text` from `from` to `to`: split on unquoted blanks; `escape` protects the next
 * character outside single quotes. Quotes are kept in the words, as BuildKit's parseWords does.
 */
export function splitWords(text: string, from: number, to: number, escape: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = from;
  while (i < to) {
    while (i < to && isBlank(text[i]!)) i++;
    if (i >= to) break;
    const start = i;
    let quote = '';
    for (; i < to; i++) {
      const ch = text[i]!;
      if (quote) {
        if (ch === quote) quote = '';
        else if (ch === escape && quote !== "'") i++;
        continue;
      }
      if (isBlank(ch)) break;
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === escape) i++;
    }
    if (i > to) i = to;
    out.push({ start, end: i });
  }
  return out;
}

/** A word whose range is mapped only when asked for: most words never are (linting per keystroke). */
class LazyWord implements Word {
  private cached?: Range;
  constructor(private readonly node: Node, readonly value: string, readonly start: number, readonly end: number) {}
  get range(): Range {
    this.cached ??= rangeOf(this.node, this.start, this.end);
    return this.cached;
  }
}

/** Keywords whose arguments BuildKit's parser splits on whitespace only (splitWhitespace). */
const BLANK_SPLIT = new Set(['add', 'copy', 'volume', 'from', 'expose']);

function splitBlanks(text: string, from: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = from;
  while (i < text.length) {
    while (i < text.length && isBlank(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    while (i < text.length && !isBlank(text[i]!)) i++;
    out.push({ start, end: i });
  }
  return out;
}

/** Shell-style unquoting without expansion: `"a b"` → `a b`, `a\ b` → `a b`, `'$X'` → `$X`. */
export function unquoteWord(word: string, escape = '\\'): string {
  if (!word.includes('"') && !word.includes("'") && !word.includes(escape)) return word;
  let out = '';
  let quote = '';
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!;
    if (quote === "'") { if (ch === "'") quote = ''; else out += ch; continue; }
    if (ch === escape && i + 1 < word.length) {
      const next = word[i + 1]!;
      // Inside double quotes only the quote, the escape and `$` are escaped (POSIX).
      if (quote === '"' && next !== '"' && next !== escape && next !== '$') { out += ch; continue; }
      out += next;
      i++;
      continue;
    }
    if (quote === '"') { if (ch === '"') quote = ''; else out += ch; continue; }
    if (ch === '"' || ch === "'") { quote = ch; continue; }
    out += ch;
  }
  return out;
}

/** Reads the keyword, flags, words and JSON strings of a node back from its logical line. */
export function locate(node: Node, escape: string): Located {
  return { ...locateHead(node), words: locateWords(node, escape), jsonStrings: jsonStrings(node) };
}

/** The keyword, the flags and where the logical line ends: the cheap part of `locate`. */
export function locateHead(node: Node): Omit<Located, 'words' | 'jsonStrings'> {
  const text = node.original;
  let kw = 0;
  while (kw < text.length && isBlank(text[kw]!)) kw++;
  let kwEnd = kw;
  while (kwEnd < text.length && !isBlank(text[kwEnd]!)) kwEnd++;
  const flags: Flag[] = [];
  // The flags are exactly the words between the keyword and `rest` (BuildKit's
  // extractBuilderFlags quotes with a backslash whatever the escape character is).
  if (node.flags.length > 0) {
    for (const w of splitWords(text, kwEnd, node.restOffset, '\\')) {
      const raw = text.slice(w.start, w.end);
      if (!raw.startsWith('--') || raw === '--') continue;
      const eq = raw.indexOf('=');
      const nameEnd = eq < 0 ? w.end : w.start + eq;
      flags.push({
        name: text.slice(w.start + 2, nameEnd), raw, start: w.start,
        value: eq < 0 ? undefined : unquoteWord(raw.slice(eq + 1), '\\'),
        range: rangeOf(node, w.start, w.end),
        nameRange: rangeOf(node, w.start + 2, nameEnd),
        valueRange: eq < 0 ? undefined : rangeOf(node, nameEnd + 1, w.end),
      });
    }
  }
  let last = text.length;
  while (last > 0 && isBlank(text[last - 1]!)) last--;
  return { written: text.slice(kw, kwEnd), keywordRange: rangeOf(node, kw, kwEnd), flags, end: rangeOf(node, Math.max(0, last - 1), last).end };
}

/** The argument words after the flags, with (lazily mapped) ranges. */
export function locateWords(node: Node, escape: string): Word[] {
  const text = node.original;
  // BuildKit splits these on blanks alone (quotes do not group words); the others by parseWords.
  const spans = BLANK_SPLIT.has(node.keyword) && !node.json ? splitBlanks(text, node.restOffset) : splitWords(text, node.restOffset, text.length, escape);
  return spans.map((w) => new LazyWord(node, text.slice(w.start, w.end), w.start, w.end));
}

/** The string literals of a JSON array argument (`["a", "b c"]`) with their ranges; [] in shell form. */
export function jsonStrings(node: Node): Word[] {
  const out: Word[] = [];
  if (!node.json) return out;
  const re = /"(?:[^"\\]|\\.)*"/gs;
  const text = node.original;
  re.lastIndex = node.restOffset;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let value: string;
    try { value = JSON.parse(m[0]) as string; } catch { continue; }
    out.push(new LazyWord(node, value, m.index, m.index + m[0].length));
  }
  return out;
}

/**
 * The pairs of ENV, LABEL and ARG. ENV and LABEL whose first word has no `=` are the legacy
 * `KEY value…` form (the value is the rest of the line); otherwise every word is one pair, and
 * a word without `=` is a name alone (`ARG NAME`).
 */
export function properties(node: Node, words: readonly Word[], escape: string): Property[] {
  if (words.length === 0) return [];
  const legacy = node.keyword !== 'arg' && !words[0]!.value.includes('=');
  if (legacy) {
    const [name, ...rest] = words;
    const first = rest[0];
    const valueStart = first?.start ?? 0;
    const valueEnd = rest.length > 0 ? rest[rest.length - 1]!.end : 0;
    return [{
      name: unquoteWord(name!.value, escape), assigned: false,
      value: first ? unquoteWord(node.original.slice(valueStart, valueEnd), escape) : undefined,
      range: rangeOf(node, name!.start, first ? valueEnd : name!.end),
      nameRange: name!.range,
      valueRange: first ? rangeOf(node, valueStart, valueEnd) : undefined,
    }];
  }
  return words.map((w) => {
    const eq = w.value.indexOf('=');
    if (eq < 0) return { name: unquoteWord(w.value, escape), assigned: false, range: w.range, nameRange: w.range };
    return {
      name: unquoteWord(w.value.slice(0, eq), escape), value: unquoteWord(w.value.slice(eq + 1), escape), assigned: true,
      range: w.range, nameRange: rangeOf(node, w.start, w.start + eq), valueRange: rangeOf(node, w.start + eq + 1, w.end),
    };
  });
}
