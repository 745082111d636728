// `.dockerignore` reading and matching, with moby/patternmatcher's semantics (see
// corpora/buildkit-rules/README.md): comment only when `#` is the first byte, trimmed lines,
// `!` exceptions, cleaned patterns relative to the context root, last match wins, a pattern
// also matches every path below a matching directory, `*`/`?` never cross `/`, `**` spans
// segments, `[^…]` negates, `\` escapes. Used by CopyIgnoredFile; the builder may reuse it.
import { InvalidArgumentError } from '../errors';

export interface IgnorePattern { text: string; exclusion: boolean; regex: RegExp }

export function readDockerignore(content: string): string[] {
  const out: string[] = [];
  const text = content.replace(/^\uFEFF/, '');
  for (const rawLine of text.split(/\r?\n/)) {
    if (rawLine.startsWith('#')) continue;
    let line = rawLine.trim();
    if (line === '') continue;
    let neg = false;
    if (line.startsWith('!')) { neg = true; line = line.slice(1).trim(); }
    line = cleanPath(line);
    out.push(neg ? `!${line}` : line);
  }
  return out;
}

/** Go's path.Clean, then one leading `/` dropped. A lone `!` stays empty (an error later). */
export function cleanPath(p: string): string {
  if (p === '') return '';
  const abs = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') { if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop(); else if (!abs) parts.push('..'); continue; }
    parts.push(seg);
  }
  const cleaned = parts.join('/');
  return cleaned === '' ? (abs ? '' : '.') : cleaned;
}

export class IgnoreMatcher {
  readonly patterns: IgnorePattern[];

  constructor(lines: string[]) {
    this.patterns = lines.map((l) => {
      const exclusion = l.startsWith('!');
      const text = exclusion ? l.slice(1) : l;
      if (text === '') throw new InvalidArgumentError('.dockerignore: illegal exclusion pattern: "!"');
      return { text, exclusion, regex: compile(text) };
    });
  }

  static fromContent(content: string): IgnoreMatcher {
    return new IgnoreMatcher(readDockerignore(content));
  }

  get hasExclusions(): boolean {
    return this.patterns.some((p) => p.exclusion);
  }

  /** True when the path (relative to the context) or one of its parent directories is ignored. */
  matchesOrParentMatches(path: string): boolean {
    const p = cleanPath(path);
    if (p === '.') return false;
    const parents: string[] = [];
    const segs = p.split('/');
    for (let i = 1; i < segs.length; i++) parents.push(segs.slice(0, i).join('/'));
    let matched = false;
    for (const pat of this.patterns) {
      if (pat.exclusion !== matched) continue; // only a pattern that could change the answer
      const hit = pat.regex.test(p) || parents.some((d) => pat.regex.test(d));
      if (hit) matched = !pat.exclusion;
    }
    return matched;
  }
}

/** Pattern → anchored regular expression, as patternmatcher's regexp kind does. */
export function compile(pattern: string): RegExp {
  let re = '^';
  const p = pattern;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      if (p[i + 1] === '*') {
        i++;
        // `**/` (or `**` at the end) spans any number of segments, including none.
        if (p[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const end = findClassEnd(p, i);
      if (end < 0) throw new InvalidArgumentError(`.dockerignore: syntax error in pattern "${pattern}"`);
      let cls = p.slice(i + 1, end);
      if (cls.startsWith('^')) cls = `^${cls.slice(1)}`;
      if (cls === '' || cls === '^') throw new InvalidArgumentError(`.dockerignore: syntax error in pattern "${pattern}"`);
      re += `[${classBody(cls)}]`;
      i = end;
    } else if (c === '\\') {
      if (i + 1 >= p.length) throw new InvalidArgumentError(`.dockerignore: syntax error in pattern "${pattern}"`);
      re += escapeRe(p[++i]);
    } else {
      re += escapeRe(c);
    }
  }
  // `dir/**` matches below `dir` only, never `dir` itself.
  return new RegExp(`${re}$`, 'u');
}

function findClassEnd(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === '^') i++;
  for (; i < p.length; i++) {
    if (p[i] === '\\') { i++; continue; }
    if (p[i] === ']' && i > start + 1 + (p[start + 1] === '^' ? 1 : 0)) return i;
    if (p[i] === ']') return -1;
  }
  return -1;
}

function classBody(cls: string): string {
  let out = '';
  for (let i = 0; i < cls.length; i++) {
    let c = cls[i];
    if (c === '\\' && i + 1 < cls.length) c = cls[++i];
    else if (c === '^' && i === 0) { out += '^'; continue; }
    else if (c === '-') { out += '-'; continue; }
    out += /[\]\\[^-]/.test(c) ? `\\${c}` : c;
  }
  return out;
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
