// Instruction flags (`--from=x`, `--link`), checked the way BuildKit's BFlags checks them:
// unknown names, missing values, bad booleans and repeats are errors naming the flag.

export type FlagKind = 'string' | 'bool' | 'strings';
export type FlagSpec = Readonly<Record<string, FlagKind>>;

export interface ParsedFlags {
  strings: Map<string, string>;
  bools: Map<string, boolean>;
  lists: Map<string, string[]>;
}

/** The flags each instruction accepts (BuildKit's, minus experimental-only ones). */
export const FLAG_SPECS: Readonly<Record<string, FlagSpec>> = {
  from: { platform: 'string' },
  run: { mount: 'strings', network: 'string', security: 'string', device: 'strings' },
  copy: { from: 'string', chown: 'string', chmod: 'string', link: 'bool', parents: 'bool', exclude: 'strings' },
  add: { chown: 'string', chmod: 'string', link: 'bool', 'keep-git-dir': 'bool', checksum: 'string', exclude: 'strings', unpack: 'bool' },
  healthcheck: { interval: 'string', timeout: 'string', 'start-period': 'string', 'start-interval': 'string', retries: 'string' },
};

/** Parse flag words against a spec; the returned error message is lower-case BuildKit wording. */
export function parseFlags(words: readonly string[], spec: FlagSpec): ParsedFlags | string {
  const out: ParsedFlags = { strings: new Map(), bools: new Map(), lists: new Map() };
  for (const word of words) {
    if (!word.startsWith('--')) return `arg should start with -- : ${word}`;
    const eq = word.indexOf('=');
    const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
    const value = eq < 0 ? undefined : word.slice(eq + 1);
    const kind = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
    if (!kind) return `unknown flag: --${name}`;
    if (kind === 'bool') {
      if (out.bools.has(name)) return `duplicate flag specified: --${name}`;
      if (value === '') return `missing a value on flag: --${name}`;
      const v = value === undefined ? 'true' : value.toLowerCase();
      if (v !== 'true' && v !== 'false') return `expecting boolean value for flag --${name}, not: ${value}`;
      out.bools.set(name, v === 'true');
    } else if (value === undefined) {
      return `missing a value on flag: --${name}`;
    } else if (kind === 'strings') {
      out.lists.set(name, [...(out.lists.get(name) ?? []), value]);
    } else {
      if (out.strings.has(name)) return `duplicate flag specified: --${name}`;
      out.strings.set(name, value);
    }
  }
  return out;
}
