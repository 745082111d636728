// Completion items for a position: instructions (with snippets) at the start of an instruction,
// flags of the instruction being typed, stage names after `--from=` / `from=`, variables after
// `$` / `${`, and local images (plus earlier stages) for FROM. Pure; the list of local images
// is passed in by providers/completion.ts, which asks the runtime service for it.
import { INSTRUCTIONS, flagsOf, instructionMarkdown, flagMarkdown } from './docs';
import { instructionAt, resolveVar, stageAt, type Model, type Position, type Range } from './model';

export type ItemKind = 'keyword' | 'flag' | 'stage' | 'variable' | 'image';

export interface Item {
  label: string;
  kind: ItemKind;
  /** Text inserted in place of `range`; a VS Code snippet when `snippet` is true. */
  insertText: string;
  snippet: boolean;
  range: Range;
  detail?: string;
  documentation?: string;
}

/** Build arguments BuildKit defines without a declaration (usable after `ARG NAME`). */
const AUTOMATIC_ARGS = ['BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'TARGETSTAGE'];
/** Not allowed as an ONBUILD trigger. */
const NOT_ONBUILD = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

export function completionsAt(m: Model, p: Position, images: readonly string[] = []): Item[] {
  const line = m.lines[p.line] ?? '';
  const before = line.slice(0, p.character);
  const at = (start: number): Range => ({ start: { line: p.line, character: start }, end: p });

  const variable = /\$\{?([A-Za-z_][A-Za-z0-9_]*)?$/.exec(before);
  if (variable) return variables(m, p, at(p.character - (variable[1]?.length ?? 0)));

  const fromFlag = /(?:--from=|[,=]from=)([A-Za-z0-9_.-]*)$/.exec(before);
  if (fromFlag) {
    const current = stageAt(m, p.line);
    return m.stages.filter((s) => s.name && s.index < current).map((s) => ({
      label: s.name!, kind: 'stage', insertText: s.name!, snippet: false, range: at(p.character - fromFlag[1].length),
      detail: `stage #${s.index}: FROM ${s.image}`,
    }));
  }

  const value = flagValueItems(before, at);
  if (value) return value;

  const instr = instructionAt(m, p.line);
  const startsHere = !instr || instr.range.start.line === p.line;
  const keywordPrefix = /^\s*([A-Za-z]*)$/.exec(before);
  if (keywordPrefix && startsHere && !continues(m, p.line)) return keywords(at(p.character - keywordPrefix[1].length), false);
  const onbuild = /^\s*onbuild\s+([A-Za-z]*)$/i.exec(before);
  if (onbuild) return keywords(at(p.character - onbuild[1].length), true);

  // Flags: only before the first argument, as BuildKit reads them.
  const flag = /^\s*(?:onbuild\s+)?([A-Za-z]+)\s+(?:--[^\s]+\s+)*(--?[A-Za-z-]*)$/i.exec(before);
  if (flag && startsHere) {
    const keyword = flag[1].toUpperCase();
    return flagsOf(keyword).map((f) => ({
      label: `--${f.name}`, kind: 'flag', insertText: f.kind === 'bool' ? `--${f.name}` : `--${f.name}=`, snippet: false,
      range: at(p.character - flag[2].length), detail: f.summary, documentation: flagMarkdown(keyword, f),
    }));
  }

  const from = /^\s*from\s+(?:--[^\s]+\s+)*([^\s]*)$/i.exec(before);
  if (from && startsHere) {
    const range = at(p.character - from[1].length);
    const current = stageAt(m, p.line);
    const stages: Item[] = m.stages.filter((s) => s.name && s.index < current).map((s) => ({
      label: s.name!, kind: 'stage', insertText: s.name!, snippet: false, range, detail: `stage #${s.index}: FROM ${s.image}`,
    }));
    const local: Item[] = [...new Set(images)].filter((i) => i !== '<none>:<none>').sort().map((i) => ({
      label: i, kind: 'image', insertText: i, snippet: false, range, detail: 'local image',
    }));
    return [...stages, ...local];
  }
  return [];
}

/** Values of flags whose values are a fixed vocabulary: `--network=`, `--security=`, `--mount=` keys and types. */
const FLAG_VALUES: Record<string, string[]> = {
  network: ['default', 'none', 'host'],
  security: ['sandbox', 'insecure'],
};
const MOUNT_TYPES = ['cache', 'bind', 'tmpfs', 'secret', 'ssh'];
/** `--mount` options per type (BuildKit's RUN --mount reference). */
const MOUNT_OPTIONS: Record<string, string[]> = {
  bind: ['target', 'source', 'from', 'readwrite'],
  cache: ['target', 'id', 'sharing', 'from', 'source', 'mode', 'uid', 'gid', 'readonly'],
  tmpfs: ['target', 'size'],
  secret: ['id', 'target', 'env', 'required', 'mode', 'uid', 'gid'],
  ssh: ['id', 'target', 'required', 'mode', 'uid', 'gid'],
};
const SHARING = ['shared', 'private', 'locked'];

function flagValueItems(before: string, at: (start: number) => Range): Item[] | undefined {
  const simple = /--(network|security)=([A-Za-z]*)$/.exec(before);
  if (simple) return FLAG_VALUES[simple[1]].map((v) => item(v, at(before.length - simple[2].length), `--${simple[1]} value`));
  const mount = /--mount=([^\s]*)$/.exec(before);
  if (!mount) return undefined;
  const spec = mount[1];
  const current = /(?:^|,)([^,]*)$/.exec(spec)![1];
  const type = /(?:^|,)type=([a-z]+)/.exec(spec)?.[1] ?? 'bind';
  const kv = /^([a-z]+)=([^,]*)$/.exec(current);
  if (kv) {
    const values = kv[1] === 'type' ? MOUNT_TYPES : kv[1] === 'sharing' ? SHARING : undefined;
    return values?.map((v) => item(v, at(before.length - kv[2].length), `--mount ${kv[1]}`)) ?? [];
  }
  const used = new Set(spec.split(',').map((o) => o.split('=')[0]));
  const keys = ['type', ...MOUNT_OPTIONS[type] ?? []].filter((k) => !used.has(k));
  return keys.map((k) => ({ ...item(k, at(before.length - current.length), `--mount option (type=${type})`), insertText: `${k}=` }));
}

const item = (label: string, range: Range, detail: string): Item => ({ label, kind: 'flag', insertText: label, snippet: false, range, detail });

function keywords(range: Range, onbuild: boolean): Item[] {
  return INSTRUCTIONS.filter((d) => !onbuild || !NOT_ONBUILD.has(d.keyword)).map((d) => ({
    label: d.keyword, kind: 'keyword', insertText: d.snippet, snippet: true, range,
    detail: d.syntax[0], documentation: instructionMarkdown(d),
  }));
}

/** True when the previous line ends with the escape character (this line continues it). */
function continues(m: Model, line: number): boolean {
  if (line === 0) return false;
  const esc = m.escape;
  const prev = (m.lines[line - 1] ?? '').replace(/\s+$/, '');
  return prev.endsWith(esc) && !/^\s*#/.test(prev);
}

/** Variables visible at the position, as BuildKit scopes them, with their values as detail. */
function variables(m: Model, p: Position, range: Range): Item[] {
  const stage = stageAt(m, p.line);
  const names = new Set(m.decls.map((d) => d.name));
  const items: Item[] = [];
  for (const name of [...names].sort()) {
    const d = resolveVar(m, name, stage, p.line);
    if (!d) continue;
    items.push({
      label: name, kind: 'variable', insertText: name, snippet: false, range,
      detail: `${d.kind}${d.value !== undefined ? ` = ${d.value}` : ''} (line ${d.line + 1})`,
    });
  }
  const onFrom = stage < 0 || m.stages[stage]?.from.range.start.line === p.line;
  if (onFrom) {
    for (const name of AUTOMATIC_ARGS) {
      if (!names.has(name)) items.push({ label: name, kind: 'variable', insertText: name, snippet: false, range, detail: 'automatic build argument' });
    }
  }
  return items;
}

/** Names offered for FROM from a `GET /images/json` answer: every `repo:tag`, and each repo alone. */
export function imageNamesFrom(images: unknown): string[] {
  if (!Array.isArray(images)) return [];
  const out = new Set<string>();
  for (const img of images) {
    const tags = (img as { RepoTags?: unknown }).RepoTags;
    if (!Array.isArray(tags)) continue;
    for (const t of tags) {
      if (typeof t !== 'string' || t.startsWith('<none>')) continue;
      out.add(t);
      const colon = t.lastIndexOf(':');
      if (colon > t.lastIndexOf('/')) out.add(t.slice(0, colon));
    }
  }
  return [...out];
}
