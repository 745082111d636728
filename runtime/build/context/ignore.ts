// .dockerignore: reading the file and matching paths with Docker's patternmatcher semantics
// (moby/patternmatcher, as described in ../shared/corpora/buildkit-rules/README.md): globs where
// `*` and `?` never cross "/", `**` spans any number of segments, `!` re-includes, the last
// matching pattern wins, and a pattern also matches every path below a directory it matches.
import { InvalidArgumentError } from '../../errors.js';

export interface IgnorePattern {
  /** The cleaned pattern text (no leading `!`, no leading "/"). */
  text: string;
  exclusion: boolean;
  regexp: RegExp;
}

/** Lines of a .dockerignore → pattern strings, `!` kept (the ignorefile package's rules). */
export function readIgnoreFile(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const out: string[] = [];
  for (const raw of body.split(/\r?\n/)) {
    if (raw.startsWith('#')) continue; // only a `#` in the very first column starts a comment
    let line = raw.trim();
    if (line === '') continue;
    let invert = false;
    if (line.startsWith('!')) { invert = true; line = line.slice(1).trim(); }
    if (line.length > 0) {
      line = goClean(line);
      if (line.startsWith('/') && line.length > 1) line = line.slice(1);
    }
    out.push(invert ? '!' + line : line);
  }
  return out;
}

/** Go's path.Clean: collapse "//", ".", ".." and trailing slashes; "" → ".". */
export function goClean(p: string): string {
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

export class IgnoreMatcher {
  readonly patterns: IgnorePattern[];
  /** True when some `!` pattern exists: ignored directories must still be walked. */
  readonly hasExclusions: boolean;

  constructor(patterns: readonly string[]) {
    this.patterns = patterns.map(compilePattern);
    this.hasExclusions = this.patterns.some((p) => p.exclusion);
  }

  /**
   * Whether `file` (context-relative, "/"-separated) is ignored: patterns are checked in
   * order, each against the path and then its parent directories; the last match decides.
   */
  ignores(file: string): boolean {
    if (this.patterns.length === 0) return false; // the common case: cleaning the path costs more than the rest
    const path = goClean(file);
    if (path === '.') return false;
    const parts = path.split('/');
    let matched = false;
    for (const p of this.patterns) {
      // An include can only flip "not matched" and an exclusion only "matched".
      if (p.exclusion !== matched) continue;
      let match = p.regexp.test(path);
      for (let i = 1; !match && i < parts.length; i++) match = p.regexp.test(parts.slice(0, i).join('/'));
      if (match) matched = !p.exclusion;
    }
    return matched;
  }
}

/** Compile one pattern (with its optional `!`). Errors name the pattern, as Docker's do. */
export function compilePattern(raw: string): IgnorePattern {
  const exclusion = raw.startsWith('!');
  let text = exclusion ? raw.slice(1) : raw;
  if (exclusion && text.length === 0) throw new InvalidArgumentError(`illegal exclusion pattern: "${raw}"`);
  text = goClean(text);
  return { text, exclusion, regexp: patternRegExp(text, raw) };
}

/**
 * A glob as an anchored RegExp. Character classes follow Go's filepath.Match syntax, which
 * Docker uses to validate patterns: `[^...]` negates, ranges need both ends, `]` cannot open.
 */
export function patternRegExp(pattern: string, shownAs = pattern): RegExp {
  const bad = (): never => { throw new InvalidArgumentError(`invalid .dockerignore pattern "${shownAs}": syntax error in pattern`); };
  const chars = Array.from(pattern);
  let re = '^';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        i++;
        if (chars[i + 1] === '/') i++;
        re += i + 1 >= chars.length ? '.*' : '(.*/)?';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '\\') {
      if (i + 1 >= chars.length) bad();
      re += escapeChar(chars[++i]!);
    } else if (ch === '[') {
      const { source, end } = charClass(chars, i + 1, bad);
      re += source;
      i = end;
    } else re += escapeChar(ch);
  }
  try {
    return new RegExp(re + '$', 'su');
  } catch (err) {
    throw new InvalidArgumentError(`invalid .dockerignore pattern "${shownAs}": ${(err as Error).message}`, { cause: err });
  }
}

// With the `u` flag only syntax characters may be escaped outside a class, and only these inside.
function escapeChar(ch: string): string { return /[.*+?^${}()|[\]\\/]/.test(ch) ? '\\' + ch : ch; }
function escapeClassChar(ch: string): string { return /[\]\\^-]/.test(ch) ? '\\' + ch : ch; }

function charClass(chars: string[], start: number, bad: () => never): { source: string; end: number } {
  let i = start;
  let out = '[';
  if (chars[i] === '^') { out += '^'; i++; }
  const esc = (): string => {
    const c = chars[i];
    if (c === undefined || c === '-' || c === ']') bad();
    if (c === '\\') { i++; if (chars[i] === undefined) bad(); }
    return chars[i++]!;
  };
  let n = 0;
  for (;;) {
    if (chars[i] === ']' && n > 0) break;
    const lo = esc();
    out += escapeClassChar(lo);
    if (chars[i] === '-') {
      i++;
      const hi = esc();
      if (hi.codePointAt(0)! < lo.codePointAt(0)!) bad();
      out += '-' + escapeClassChar(hi);
    }
    n++;
    if (i >= chars.length) bad();
  }
  return { source: out + ']', end: i };
}
