// Scope assertions for TextMate grammar fixtures, in the style of vscode-tmgrammar-test, run
// with the same engine VS Code uses (vscode-textmate + the oniguruma wasm).
//
// Fixture format: ordinary Dockerfile lines, each followed by any number of assertion lines that
// are removed before tokenising (so they never change the grammar's state):
//   #   ^^^^ scope.a scope.b - scope.not
// asserts that every token under the carets carries scope.a and scope.b and not scope.not;
//   # <--- scope.a
// does the same for columns 0..2 (column 0 cannot hold a caret, `#` is there).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = path.resolve(__dirname, '..', '..', '..');
export const grammarPath = path.join(root, 'syntaxes', 'dockerfile.tmLanguage.json');

/**
 * VS Code's own grammars for the embedded languages, from the code-server that the editor tier
 * installs (test/editor/setup.sh); undefined when it is not installed.
 */
export function vscodeGrammars(): Record<string, string> | undefined {
  const cache = process.env.SLIPWAY_CACHE || path.join(homedir(), '.cache', 'slipway');
  if (!existsSync(cache)) return undefined;
  for (const dir of readdirSync(cache).filter((d) => d.startsWith('code-server-'))) {
    const ext = path.join(cache, dir, 'node_modules', 'code-server', 'lib', 'vscode', 'extensions');
    const grammars = {
      'source.shell': path.join(ext, 'shellscript', 'syntaxes', 'shell-unix-bash.tmLanguage.json'),
      'source.python': path.join(ext, 'python', 'syntaxes', 'MagicPython.tmLanguage.json'),
    };
    if (Object.values(grammars).every((g) => existsSync(g))) return grammars;
  }
  return undefined;
}

const registries = new Map<boolean, Promise<textmate.Registry>>();
let wasmLoaded: Promise<void> | undefined;

function getRegistry(embedded: boolean): Promise<textmate.Registry> {
  let registry = registries.get(embedded);
  if (!registry) {
    registry = (async () => {
      wasmLoaded ??= (async () => {
        const wasm = readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
        await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
      })();
      await wasmLoaded;
      const grammars: Record<string, string> = { 'source.dockerfile': grammarPath, ...(embedded ? vscodeGrammars() : {}) };
      return new textmate.Registry({
        onigLib: Promise.resolve({ createOnigScanner: (p) => oniguruma.createOnigScanner(p), createOnigString: (s) => oniguruma.createOnigString(s) }),
        // Without `embedded`, the embedded grammars (source.shell, …) are unknown: includes of
        // them are no-ops and the fixtures assert our own embedding scopes.
        loadGrammar: async (scope) => (grammars[scope] ? textmate.parseRawGrammar(readFileSync(grammars[scope], 'utf8'), grammars[scope]) : null),
      });
    })();
    registries.set(embedded, registry);
  }
  return registry;
}

export interface Token { text: string; start: number; end: number; scopes: string[] }

export async function tokenize(lines: string[], embedded = false): Promise<Token[][]> {
  const grammar = await (await getRegistry(embedded)).loadGrammar('source.dockerfile');
  if (!grammar) throw new Error(`cannot load grammar ${grammarPath}`);
  let state: textmate.StateStack = textmate.INITIAL;
  return lines.map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), start: t.startIndex, end: t.endIndex, scopes: t.scopes }));
  });
}

interface Assertion { line: number; from: number; to: number; want: string[]; unwanted: string[]; text: string }

const ASSERTION = /^#\s*(<-+|\^[\s^]*?)\s+([a-z-].*)$/;

export function parseFixture(text: string): { lines: string[]; assertions: Assertion[] } {
  const lines: string[] = [];
  const assertions: Assertion[] = [];
  for (const raw of text.replace(/\r?\n$/, '').split('\n')) {
    const m = ASSERTION.exec(raw);
    if (!m || lines.length === 0) { lines.push(raw); continue; }
    const [want, unwanted = ''] = ` ${m[2]}`.split(/\s-\s/);
    const ranges: Array<[number, number]> = [];
    if (m[1].startsWith('<')) ranges.push([0, m[1].length - 1]);
    else for (const c of raw.matchAll(/\^+/g)) ranges.push([c.index, c.index + c[0].length]);
    for (const [from, to] of ranges) {
      assertions.push({ line: lines.length - 1, from, to, want: want.split(/\s+/).filter(Boolean), unwanted: unwanted.split(/\s+/).filter(Boolean), text: raw });
    }
  }
  return { lines, assertions };
}

/** Checks a fixture; returns one message per failed assertion (empty = all passed). */
export async function checkFixture(text: string): Promise<{ failures: string[]; count: number }> {
  const { lines, assertions } = parseFixture(text);
  const tokens = await tokenize(lines);
  const failures: string[] = [];
  for (const a of assertions) {
    const under = tokens[a.line].filter((t) => t.start < a.to && t.end > a.from);
    if (under.length === 0) failures.push(`line ${a.line + 1}: no token under "${a.text}"`);
    for (const t of under) {
      const missing = a.want.filter((s) => !t.scopes.includes(s));
      const extra = a.unwanted.filter((s) => t.scopes.includes(s));
      if (missing.length || extra.length) {
        failures.push(`line ${a.line + 1} "${lines[a.line]}" token "${t.text}" @${t.start}: ` +
          `${missing.length ? `missing ${missing.join(' ')}` : ''}${extra.length ? ` unexpected ${extra.join(' ')}` : ''} — has ${t.scopes.join(' ')}`);
      }
    }
  }
  return { failures, count: assertions.length };
}
