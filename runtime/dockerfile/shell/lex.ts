// Shell-word expansion as BuildKit's Dockerfile frontend does it (frontend/dockerfile/shell):
// quote removal, escapes with `\` or `` ` ``, `$v`, `${v}`, `${v:-x}` `${v-x}`... and word
// splitting of unquoted expansions. This is NOT a shell: no command substitution, no globbing,
// no `${v:=x}` (BuildKit rejects it). Checked against the corpus tables shell/envVarTest and
// shell/wordsTest (test/unit/dockerfile/shell/lex.test.ts).

export interface LexOptions {
  escape?: '\\' | '`';
  /** Keep quote characters in the result (used to find heredoc words). */
  rawQuotes?: boolean;
  /** Keep escape characters in the result. */
  rawEscapes?: boolean;
  /** Leave `$name` as written when `name` is unset (instead of ""). */
  skipUnset?: boolean;
  /** Quotes are ordinary characters (heredoc bodies: BuildKit's SkipProcessQuotes). */
  literalQuotes?: boolean;
}

/** Variable lookup: undefined = unset (different from "" = set but empty). */
export type Lookup = (name: string) => string | undefined;

export interface Expansion {
  /** The word with quotes removed and variables expanded (ProcessWord). */
  value: string;
  /** The same, split into words the way unquoted expansions split (ProcessWords). */
  words: string[];
  /** Variables that were set when looked up. */
  matched: Set<string>;
  /** Variables that were looked up but unset. */
  unmatched: Set<string>;
}

/** An expansion that BuildKit rejects; the instruction layer adds the Dockerfile location. */
export class ShellExpansionError extends Error {}

export function lookupIn(env: ReadonlyMap<string, string> | Record<string, string>): Lookup {
  if (env instanceof Map) return (n) => env.get(n);
  const rec = env as Record<string, string>;
  return (n) => (Object.prototype.hasOwnProperty.call(rec, n) ? rec[n] : undefined);
}

export function expand(source: string, lookup: Lookup, options: LexOptions = {}): Expansion {
  const lx = new Lexer(source, lookup, options);
  try {
    const { value, words } = lx.processStopOn(undefined, options.rawEscapes ?? false);
    return { value, words, matched: lx.matched, unmatched: lx.unmatched };
  } catch (err) {
    throw new ShellExpansionError(`failed to process "${source}": ${(err as Error).message}`, { cause: err });
  }
}

export function expandWord(source: string, lookup: Lookup, options: LexOptions = {}): string {
  return expand(source, lookup, options).value;
}

export function expandWords(source: string, lookup: Lookup, options: LexOptions = {}): string[] {
  return expand(source, lookup, options).words;
}

/** Words with quotes and escapes kept and variables left alone (heredoc detection). */
export function splitRawWords(text: string): string[] {
  try {
    return expand(text, () => undefined, { rawQuotes: true, rawEscapes: true, skipUnset: true }).words;
  } catch {
    return [];
  }
}

/** A `$name` / `${name...}` reference at [offset, offset+length) of the source text. */
export interface VariableReference { name: string; offset: number; length: number }

/**
 * Every variable a word references, with offsets (for UndefinedVar-style diagnostics and for
 * cache keys, which hash only the variables a step uses). Single-quoted text and escaped `$`
 * are skipped, as the expander does.
 */
export function variableReferences(source: string, escape: '\\' | '`' = '\\'): VariableReference[] {
  const refs: VariableReference[] = [];
  let quote = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (quote === "'") { if (ch === "'") quote = ''; continue; }
    if (ch === escape) { i++; continue; }
    if (ch === '"') { quote = quote ? '' : '"'; continue; }
    if (ch === "'" && !quote) { quote = "'"; continue; }
    if (ch !== '$') continue;
    const braced = source[i + 1] === '{';
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i + (braced ? 2 : 1)));
    if (!m) continue;
    refs.push({ name: m[0], offset: i, length: (braced ? 2 : 1) + m[0].length });
    if (!braced) i += m[0].length;
    else i += 1; // nested defaults like ${a:-$b} are scanned on the next iterations
  }
  return refs;
}

const EOF = undefined;

class Lexer {
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();
  private readonly chars: string[];
  private pos = 0;
  private readonly escape: string;

  constructor(source: string, private readonly lookup: Lookup, private readonly opts: LexOptions) {
    this.chars = Array.from(source);
    this.escape = opts.escape ?? '\\';
  }

  private peek(): string | undefined { return this.chars[this.pos]; }
  private next(): string | undefined { return this.chars[this.pos++]; }

  private getEnv(name: string): string | undefined {
    const v = this.lookup(name);
    if (v === undefined) this.unmatched.add(name); else this.matched.add(name);
    return v;
  }

  processStopOn(stop: string | undefined, rawEscapes: boolean): { value: string; words: string[] } {
    let result = '';
    const words = new Words();
    while (this.peek() !== EOF) {
      const ch = this.peek()!;
      if (stop !== EOF && ch === stop) {
        this.next();
        return { value: result, words: words.done() };
      }
      if (ch === '$' || ((ch === "'" || ch === '"') && !this.opts.literalQuotes)) {
        const tmp = ch === "'" ? this.singleQuote() : ch === '"' ? this.doubleQuote() : this.dollar();
        result += tmp;
        // Only unquoted expansions split into words; quoted text is one word piece.
        if (ch === '$') words.addString(tmp); else words.addRaw(tmp);
        continue;
      }
      let c = this.next()!;
      if (c === this.escape) {
        if (rawEscapes) { words.addRawChar(c); result += c; }
        const n = this.next();
        if (n === EOF) break; // an escape at the end of the word is dropped
        c = n;
        words.addRawChar(c);
      } else {
        words.addChar(c);
      }
      result += c;
    }
    if (stop !== EOF) throw new Error(`unexpected end of statement while looking for matching ${stop}`);
    return { value: result, words: words.done() };
  }

  private singleQuote(): string {
    let result = '';
    const open = this.next()!;
    if (this.opts.rawQuotes) result += open;
    for (;;) {
      const ch = this.next();
      if (ch === EOF) throw new Error('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") { if (this.opts.rawQuotes) result += ch; return result; }
      result += ch;
    }
  }

  private doubleQuote(): string {
    let result = '';
    const open = this.next()!;
    if (this.opts.rawQuotes) result += open;
    for (;;) {
      const p = this.peek();
      if (p === EOF) throw new Error('unexpected end of statement while looking for matching double-quote');
      if (p === '"') { const c = this.next()!; if (this.opts.rawQuotes) result += c; return result; }
      if (p === '$') { result += this.dollar(); continue; }
      let ch = this.next()!;
      if (ch === this.escape) {
        if (this.opts.rawEscapes) result += ch;
        const n = this.peek();
        if (n === EOF) continue; // a lone escape before the end: dropped, then the quote error
        // Only these can be escaped inside double quotes; other escapes stay literal (sh(1)).
        if (n === '"' || n === '$' || n === this.escape) ch = this.next()!;
      }
      result += ch;
    }
  }

  private dollar(): string {
    this.next(); // $
    if (this.peek() !== '{') {
      const name = this.name();
      if (name === '') return '$';
      const v = this.getEnv(name);
      if (v === undefined && this.opts.skipUnset) return '$' + name;
      return v ?? '';
    }
    this.next(); // {
    const first = this.peek();
    if (first === EOF) throw new Error("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new Error('syntax error: bad substitution');
    const name = this.name();
    const ch = this.next();
    switch (ch) {
      case '}': {
        const v = this.getEnv(name);
        if (v === undefined && this.opts.skipUnset) return '${' + name + '}';
        return v ?? '';
      }
      case ':': case '?': case '-': case '+': case '#': case '%': {
        // BuildKit: a leading ":" makes "set but empty" count as unset for - + ?.
        const nullIsUnset = ch === ':';
        const op = nullIsUnset ? this.next() : ch;
        const word = this.nested('}', op === '#' || op === '%' ? true : undefined);
        const v = this.getEnv(name);
        if (v === undefined && this.opts.skipUnset) return '${' + name + (nullIsUnset ? ':' : '') + (op ?? '') + word + '}';
        const unset = v === undefined || (nullIsUnset && v === '');
        switch (op) {
          case '-': return unset ? word : v!;
          case '+': return unset ? '' : word;
          case '?':
            if (v === undefined) throw new Error(`${name}: ${word || 'is not allowed to be unset'}`);
            if (unset) throw new Error(`${name}: ${word || 'is not allowed to be empty'}`);
            return v;
          case '#': case '%': {
            // ## / %% (the doubled char survives in the word) asks for the longest match.
            const greedy = word.startsWith(op);
            const pattern = greedy ? word.slice(1) : word;
            return op === '#' ? trimPrefix(pattern, v ?? '', greedy) : trimSuffix(pattern, v ?? '', greedy);
          }
          default: throw new Error(`unsupported modifier (${nullIsUnset ? ':' : ''}${op ?? ''}) in substitution`);
        }
      }
      case '/': {
        const all = this.peek() === '/';
        if (all) this.next();
        const pattern = this.processStopOn('/', true).value;
        const replacement = this.nested('}', true);
        const v = this.getEnv(name);
        if (v === undefined && this.opts.skipUnset) return '${' + name + '/' + pattern + '/' + replacement + '}';
        const re = shellPatternToRegExp(pattern, true, false, all ? 'g' : '');
        return (v ?? '').replace(re, () => replacement);
      }
      default:
        if (ch === EOF) throw new Error("syntax error: missing '}'");
        throw new Error(`unsupported modifier (${ch}) in substitution`);
    }
  }

  private nested(stop: string, rawEscapes = this.opts.rawEscapes ?? false): string {
    try {
      return this.processStopOn(stop, rawEscapes).value;
    } catch (err) {
      if (this.peek() === EOF) throw new Error("syntax error: missing '}'", { cause: err });
      throw err;
    }
  }

  /** A name: letters/digits/_; a leading digit run is a positional parameter; one special char. */
  private name(): string {
    let name = '';
    for (let ch = this.peek(); ch !== EOF; ch = this.peek()) {
      if (name === '' && /\p{Nd}/u.test(ch)) {
        while (this.peek() !== EOF && /\p{Nd}/u.test(this.peek()!)) name += this.next();
        return name;
      }
      if (name === '' && '@*#?-$!0'.includes(ch)) { this.next(); return ch; }
      if (!/[\p{L}\p{Nd}_]/u.test(ch)) break;
      name += this.next();
    }
    return name;
  }
}

/** Word accumulation: unquoted whitespace separates words, quoted/escaped text never does. */
class Words {
  private word = '';
  private inWord = false;
  private readonly words: string[] = [];
  addChar(ch: string): void {
    if (/\s/u.test(ch)) {
      if (this.inWord && this.word !== '') { this.words.push(this.word); this.word = ''; this.inWord = false; }
    } else this.addRawChar(ch);
  }
  addRawChar(ch: string): void { this.word += ch; this.inWord = true; }
  addString(s: string): void { for (const ch of s) this.addChar(ch); }
  addRaw(s: string): void { this.word += s; this.inWord = true; }
  done(): string[] {
    if (this.word !== '') { this.words.push(this.word); this.word = ''; this.inWord = false; }
    return this.words;
  }
}

/**
 * A `${v#pattern}` pattern as a RegExp, as BuildKit converts it: `*` and `?` are wildcards,
 * everything else (brackets included: BuildKit has no bracket expressions) is literal; `\\*`,
 * `\\?`, `\\\\` escape, `\\}` and `\\/` drop the backslash, any other escape is an error.
 */
export function shellPatternToRegExp(pattern: string, greedy: boolean, anchored: boolean, flags = ''): RegExp {
  let re = anchored ? '^' : '';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') re += greedy ? '.*' : '.*?';
    else if (ch === '?') re += '.';
    else if (ch === '\\') {
      const n = chars[i + 1];
      if (n === '}' || n === '/') continue;
      i++;
      if (n !== '*' && n !== '?' && n !== '\\') throw new Error(`invalid pattern (${pattern}) in substitution: invalid escape '\\${n ?? ''}'`);
      re += escapeRegExp(n);
    } else re += escapeRegExp(ch);
  }
  return new RegExp(re, 'u' + flags);
}

// Only syntax characters: with the `u` flag, escaping anything else (like "-") is an error.
function escapeRegExp(s: string): string { return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'); }

function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const m = shellPatternToRegExp(pattern, greedy, true).exec(value);
  return m ? value.slice(m[0].length) : value;
}

/** Shortest/longest suffix: regexes only find leftmost matches, so try each start position. */
function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  const re = new RegExp(shellPatternToRegExp(pattern, true, true).source + '$', 'u');
  const starts = [...Array(value.length + 1).keys()];
  if (!greedy) starts.reverse();
  for (const s of starts) if (re.test(value.slice(s))) return value.slice(0, s);
  return value;
}
