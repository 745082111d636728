// Build cache keys: a sha256 of a canonical, versioned JSON description of one step.
//
// A step's key covers: the parent's key (so any earlier change propagates), the normalised
// instruction (expanded values, not source text: re-indenting a Dockerfile keeps the cache),
// the ARG/ENV values the step actually used, the platform, and for COPY/ADD a content hash of
// exactly the files it selected (path, type, mode, uid/gid, content digest, symlink target —
// never mtime, so a fresh checkout still hits). Bump CACHE_KEY_VERSION whenever the description
// changes shape; the golden tests in test/unit/build/cache-key.test.ts pin the digests.
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, openSync, readSync } from 'node:fs';
import type { ContextEntry } from './context/walk.js';
import { redactUrl } from './plan/git-ref.js';
import type { Step } from './plan/types.js';

export const CACHE_KEY_VERSION = 'v1';

export interface FileRecord {
  path: string;
  type: ContextEntry['type'];
  mode: number;
  uid: number;
  gid: number;
  /** "sha256:<hex>" of the content, for regular files. */
  digest?: string;
  /** Symlink target, as written. */
  target?: string;
  /** ADD <git ref>: the commit the ref resolved to (the record's path is the source as written). */
  commit?: string;
}

export interface StepDescription {
  version: typeof CACHE_KEY_VERSION;
  /** The parent step's key, or the stage root ("scratch", "image:<id>", "stage:<key>"). */
  parent: string;
  platform: string;
  kind: Step['kind'];
  /** Canonical, expanded form of the instruction. */
  instruction: unknown;
  /** Build arguments the step used (in its expansions, or in RUN's environment). */
  args: Record<string, string>;
  /** ENV values its expansions used. */
  env: Record<string, string>;
  /** COPY/ADD: the selected files, sorted by path. */
  files?: FileRecord[];
}

/** The root a stage's first step chains from. `id` is the base image's config digest. */
export function stageRoot(base: { kind: 'scratch' } | { kind: 'image'; id: string } | { kind: 'stage'; key: string }): string {
  return base.kind === 'scratch' ? 'scratch' : base.kind === 'image' ? `image:${base.id}` : `stage:${base.key}`;
}

/** Describe a planned step. `files` must be given for COPY/ADD (see `fileRecords`). */
export function describeStep(parent: string, step: Step, platform: string, files?: FileRecord[]): StepDescription {
  const desc: StepDescription = {
    version: CACHE_KEY_VERSION, parent, platform, kind: step.kind,
    instruction: normaliseInstruction(step), args: { ...step.usedArgs },
    env: Object.fromEntries(Object.entries(step.usedVars).filter(([k]) => !(k in step.usedArgs))),
  };
  if (step.copy) desc.files = [...(files ?? [])].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return desc;
}

function normaliseInstruction(step: Step): unknown {
  if (step.run) {
    const { args, heredocs, mounts, network, security } = step.run;
    return {
      args, mounts, network: network ?? null, security: security ?? null,
      heredocs: heredocs.map((h) => ({ name: h.name, content: h.content, expand: h.expand, chomp: h.chomp, fd: h.fd })),
    };
  }
  if (step.copy) {
    // destRaw is display text; dest + destIsDir carry its meaning.
    const { destRaw: _display, ...copy } = step.copy;
    return { op: step.kind, ...copy };
  }
  if (step.workdir) return { path: step.workdir.path, user: step.workdir.user ?? null };
  return { createdBy: step.createdBy };
}

/** JSON with object keys sorted at every level and no whitespace: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  // Loops and one string instead of map/filter/join: a COPY of 10,000 files describes 10,000
  // records, and the functional form cost ~8 µs each (~80 ms a build).
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return out + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (flatAndSorted(obj, keys)) return JSON.stringify(obj);
  keys.sort();
  let out = '{';
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += (out.length > 1 ? ',' : '') + quotedKey(k) + ':' + canonicalJson(v);
  }
  return out + '}';
}

/**
 * A plain object of strings, numbers, booleans and nulls (undefined left out) whose keys are in
 * sorted order: JSON.stringify gives its canonical text, natively (file records are built so).
 */
function flatAndSorted(obj: Record<string, unknown>, keys: readonly string[]): boolean {
  const proto = Object.getPrototypeOf(obj) as unknown;
  if (proto !== Object.prototype && proto !== null) return false; // Date, Buffer, ...: their own toJSON
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !(keys[i - 1]! < keys[i]!)) return false;
    const v = obj[keys[i]!];
    const t = typeof v;
    if (v !== null && t !== 'string' && t !== 'number' && t !== 'boolean' && t !== 'undefined') return false;
  }
  return true;
}

const QUOTED = new Map<string, string>();

/** JSON.stringify(key), remembered for the few key names descriptions use. */
function quotedKey(k: string): string {
  let q = QUOTED.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (QUOTED.size < 1024) QUOTED.set(k, q);
  }
  return q;
}

export function cacheKey(desc: StepDescription): string {
  return 'sha256:' + createHash('sha256').update(canonicalJson(desc)).digest('hex');
}

/**
 * The parent a COPY/ADD --link step is described with instead of the previous step's key: its
 * layer is made in an empty tree, so it depends on its own sources only and is reused when
 * earlier steps change (BuildKit's merge of a copy made on scratch).
 */
export const LINK_PARENT = 'link';

/** The key later steps chain from after a --link step: the previous chain and the link's key. */
export function linkedChainKey(parent: string, linkKey: string): string {
  return cacheKey({ version: CACHE_KEY_VERSION, parent, platform: '', kind: 'copy', instruction: { linked: linkKey }, args: {}, env: {} });
}

const SMALL_FILE = 1 << 20;

/**
 * Contents read while hashing, kept (absolute path → bytes) so the step that copies the same
 * files does not read them again: the layer of a COPY is written from these. Bounded by
 * `budget` bytes; files beyond it are read again when needed.
 */
export class ContentCache {
  readonly files = new Map<string, Buffer>();
  private used = 0;
  constructor(readonly budget = 64 << 20) {}
  offer(abs: string, data: Buffer): void {
    if (this.used + data.length > this.budget) return;
    this.used += data.length;
    this.files.set(abs, data);
  }
}

/**
 * Records for the selected entries, hashing file contents (streamed, never whole in memory,
 * when big). With `keep`, small files' bytes are kept for the copy (see ContentCache).
 */
export async function fileRecords(entries: readonly ContextEntry[], keep?: ContentCache): Promise<FileRecord[]> {
  const out: FileRecord[] = [];
  for (const e of entries) {
    // Small files are read in one synchronous call: a stream per file costs ~0.5 ms each,
    // which made hashing 10,000 small files take seconds.
    let digest: string | undefined;
    if (e.type === 'file') {
      if (e.size <= SMALL_FILE) {
        const data = readSmall(e.absPath, e.size);
        digest = 'sha256:' + createHash('sha256').update(data).digest('hex');
        keep?.offer(e.absPath, data);
      } else digest = await fileDigest(e.absPath);
    }
    // Keys in sorted order, present only when set: canonicalJson then takes the record as it is.
    const r: FileRecord = digest !== undefined
      ? { digest, gid: e.gid, mode: e.mode, path: e.path, type: e.type, uid: e.uid }
      : e.type === 'symlink'
        ? { gid: e.gid, mode: e.mode, path: e.path, target: e.linkTarget ?? '', type: e.type, uid: e.uid }
        : { gid: e.gid, mode: e.mode, path: e.path, type: e.type, uid: e.uid };
    out.push(r);
  }
  return out;
}

/**
 * A small file's first `size` bytes (the walk's size): open, read, close, where readFileSync
 * adds an fstat and a read to find the end. Shorter when the file shrank since.
 */
function readSmall(abs: string, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  if (size === 0) return buf;
  const fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW); // a symlink swapped in since the walk is not followed out of the context
  try {
    let n = 0;
    while (n < size) {
      const got = readSync(fd, buf, n, size - n, n);
      if (got === 0) break;
      n += got;
    }
    return n === size ? buf : buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export function fileDigest(abs: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    let fd: number;
    try { fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW); } catch (err) { reject(err as Error); return; }
    createReadStream(abs, { fd }).on('error', reject).on('data', (c) => h.update(c)).on('end', () => resolve('sha256:' + h.digest('hex')));
  });
}

/**
 * Why a step missed, comparing the description stored with the cached step and the new one:
 * "COPY: app.py changed", "ARG VERSION changed", "instruction changed", ... (first reasons
 * first). An empty list means the descriptions are equal.
 */
export function explainMiss(old: StepDescription | undefined, next: StepDescription): string[] {
  if (!old) return ['no cached step'];
  if (old.version !== next.version) return [`cache format changed (${old.version} → ${next.version})`];
  const reasons: string[] = [];
  if (old.platform !== next.platform) reasons.push(`platform changed (${old.platform} → ${next.platform})`);
  if (old.kind !== next.kind || canonicalJson(old.instruction) !== canonicalJson(next.instruction)) reasons.push('instruction changed');
  for (const kind of ['args', 'env'] as const) {
    for (const name of [...new Set([...Object.keys(old[kind]), ...Object.keys(next[kind])])].sort()) {
      if (old[kind][name] !== next[kind][name]) reasons.push(`${kind === 'args' ? 'ARG' : 'ENV'} ${name} changed`);
    }
  }
  if (old.files || next.files) {
    const label = next.kind === 'add' ? 'ADD' : 'COPY';
    const before = new Map((old.files ?? []).map((f) => [f.path, f]));
    const after = new Map((next.files ?? []).map((f) => [f.path, f]));
    for (const [p, f] of after) {
      const was = before.get(p);
      if (!was) reasons.push(`${label}: ${redactUrl(p)} added`);
      else if (was.commit !== f.commit) reasons.push(`${label}: ${redactUrl(p)} now at commit ${f.commit?.slice(0, 12) ?? 'none'} (was ${was.commit?.slice(0, 12) ?? 'none'})`);
      else if (!sameRecord(was, f)) reasons.push(`${label}: ${redactUrl(p)} ${was.digest !== f.digest || was.target !== f.target ? 'changed' : 'mode or owner changed'}`);
    }
    for (const p of before.keys()) if (!after.has(p)) reasons.push(`${label}: ${redactUrl(p)} removed`);
  }
  if (reasons.length === 0 && old.parent !== next.parent) reasons.push('an earlier step changed');
  return reasons;
}

/** canonicalJson(a) === canonicalJson(b) for records of primitives, without the text (10,000 records a build). */
function sameRecord(a: FileRecord, b: FileRecord): boolean {
  const x = a as unknown as Record<string, unknown>, y = b as unknown as Record<string, unknown>;
  for (const k of Object.keys(x)) {
    if (typeof x[k] === 'object' && x[k] !== null) return canonicalJson(a) === canonicalJson(b);
    if (x[k] !== y[k]) return false;
  }
  for (const k of Object.keys(y)) if (!(k in x) && y[k] !== undefined) return false;
  return true;
}
