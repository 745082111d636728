// Walking a directory tree into tar entries, in a deterministic order.
//
// Order: depth-first, a directory before its children, siblings sorted by name (code-unit
// order), so the same tree always gives the same tar. Hard links (same dev/ino seen twice) become
// tar links to the first path in that order.
import fs from 'node:fs';
import path from 'node:path';
import type { TarEntry, TarEntryType } from './tar-header';
import type { SpecialFs } from './special-fs';
import { isOverlayXattr } from './whiteout';

/** A tar entry and, for regular files, the host file its content comes from. */
export interface LayerItem {
  entry: TarEntry;
  source?: string;
  /** Content already in memory (exactly entry.size bytes), read instead of `source`. */
  data?: Buffer;
  /** Content from a stream instead of a file (archives: blobs, decompressed layers); exactly entry.size bytes. */
  stream?: () => Promise<AsyncIterable<Buffer> | Iterable<Buffer>>;
}

export interface EntryOptions {
  /** SOURCE_DATE_EPOCH-style clamp: mtimes later than this (seconds) are set to it. */
  clampMtime?: number;
}

export interface WalkedPath {
  /** '/'-separated, relative to the root, no leading "./". */
  rel: string;
  abs: string;
  stat: fs.Stats;
}

/**
 * Every path under `root` (not root itself), parents first, siblings sorted.
 * Metadata calls are synchronous on purpose: a promise round trip through the thread pool per
 * lstat made a 10,000-file walk take seconds on a busy 2-core machine, where the synchronous
 * calls (answered from the kernel's dentry cache) take milliseconds. The tar writer yields to
 * the event loop every 256 KiB of output, so it is never held for long.
 */
export function* walkTreeSync(root: string, rel = ''): Generator<WalkedPath> {
  const dir = rel ? path.join(root, rel) : root;
  const names = fs.readdirSync(dir).sort();
  const batch: WalkedPath[] = names.map((name) => {
    const childRel = rel ? `${rel}/${name}` : name;
    const abs = path.join(root, childRel);
    return { rel: childRel, abs, stat: fs.lstatSync(abs) };
  });
  for (const p of batch) {
    yield p;
    if (p.stat.isDirectory()) yield* walkTreeSync(root, p.rel);
  }
}

export function entryType(stat: fs.Stats): TarEntryType | undefined {
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'directory';
  if (stat.isSymbolicLink()) return 'symlink';
  if (stat.isCharacterDevice()) return 'char';
  if (stat.isBlockDevice()) return 'block';
  if (stat.isFIFO()) return 'fifo';
  return undefined; // sockets cannot be archived; tar skips them too
}

/** Linux dev_t → major/minor (glibc's gnu_dev_major/minor encoding). */
export function splitDevice(rdev: number): { major: number; minor: number } {
  const r = BigInt(rdev);
  const major = Number(((r >> 8n) & 0xfffn) | ((r >> 32n) & ~0xfffn));
  const minor = Number((r & 0xffn) | ((r >> 12n) & ~0xffn));
  return { major, minor };
}

/** The normalised tar entry for one walked path. */
export function entryForSync(p: WalkedPath, type: TarEntryType, options: EntryOptions, xattrs?: Record<string, Buffer>): TarEntry {
  const mtimeSec = Math.floor(p.stat.mtimeMs / 1000);
  const entry: TarEntry = {
    path: p.rel,
    type,
    mode: p.stat.mode & 0o7777,
    uid: p.stat.uid,
    gid: p.stat.gid,
    size: type === 'file' ? p.stat.size : 0,
    mtime: options.clampMtime !== undefined ? Math.min(mtimeSec, options.clampMtime) : mtimeSec,
  };
  if (type === 'symlink') entry.linkname = fs.readlinkSync(p.abs);
  if (type === 'char' || type === 'block') Object.assign(entry, devFields(p.stat.rdev));
  const kept = Object.entries(xattrs ?? {}).filter(([k]) => !isOverlayXattr(k));
  if (kept.length > 0) entry.xattrs = Object.fromEntries(kept);
  return entry;
}

function devFields(rdev: number): { devmajor: number; devminor: number } {
  const { major, minor } = splitDevice(rdev);
  return { devmajor: major, devminor: minor };
}

/** Tracks hard links: the first path of each multiply-linked inode. */
export class HardlinkTracker {
  private readonly seen = new Map<string, string>();
  /** The earlier path this one is a hard link to, or undefined (and remembers this one). */
  linkTarget(p: WalkedPath): string | undefined {
    if (!p.stat.isFile() || p.stat.nlink < 2) return undefined;
    const key = `${p.stat.dev}:${p.stat.ino}`;
    const first = this.seen.get(key);
    if (first === undefined) this.seen.set(key, p.rel);
    return first;
  }
}

/** Every entry of a plain tree (for `export`, `import` of a directory, non-overlay layers). */
export async function* treeItems(root: string, special: SpecialFs, options: EntryOptions = {}): AsyncGenerator<LayerItem> {
  yield* await treeItemsSync(root, special, options);
}

/**
 * The same entries as a synchronous iterable (xattrs are read first): writeLayer/tarStream
 * then take them without a promise hop per entry, the fast path for big trees.
 */
export async function treeItemsSync(root: string, special: SpecialFs, options: EntryOptions = {}): Promise<Iterable<LayerItem>> {
  const perPath = special.xattrsOfSync?.bind(special);
  const listed = perPath ? undefined : await special.listXattrs(root);
  const xattrsOf = (p: WalkedPath) => (perPath ? perPath(p.abs) : listed?.get(p.rel));
  return (function* () {
    const links = new HardlinkTracker();
    for (const p of walkTreeSync(root)) {
      const type = entryType(p.stat);
      if (!type) continue;
      const first = links.linkTarget(p);
      if (first !== undefined) {
        const entry = entryForSync(p, 'link', options, xattrsOf(p));
        yield { entry: { ...entry, size: 0, linkname: first } };
        continue;
      }
      const entry = entryForSync(p, type, options, xattrsOf(p));
      yield type === 'file' ? { entry, source: p.abs } : { entry };
    }
  })();
}
