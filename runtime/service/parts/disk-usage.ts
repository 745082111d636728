// What `GET /system/df` reports besides images: containers (their writable layers), volumes
// (their data and how many containers mount them) and the build cache (RUN --mount=type=cache
// directories and cached steps), in the Engine API's SystemDataUsage shape (API ≤ 1.51: the
// Containers, Volumes and BuildCache lists). Everything is read from disk under the state root
// — container records, volume directories, build-cache/ — so df never starts the container
// part or the builder. Sizes are Docker's directory.Size: apparent sizes of everything but
// directories, each inode once (hardlinks), symlinks not followed.
import fs from 'node:fs';
import path from 'node:path';
import { listJson, type ContainerRecord } from '../../container/state';
import type { Volume } from '../../volumes';

/** moby pkg/directory Size: bytes of non-directory entries under `dir`, each inode counted once. */
export function treeSize(dir: string): number {
  const seen = new Set<string>();
  let total = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    let st: fs.BigIntStats;
    try { st = fs.lstatSync(d, { bigint: true }); } catch { continue; } // removed meanwhile
    if (st.isDirectory()) {
      let names: string[] = [];
      try { names = fs.readdirSync(d); } catch { /* unreadable: counted as empty */ }
      for (const n of names) stack.push(path.join(d, n));
      continue;
    }
    if (st.size === 0n) continue;
    const inode = `${st.dev}:${st.ino}`;
    if (seen.has(inode)) continue;
    seen.add(inode);
    total += Number(st.size);
  }
  return total;
}

/** The df entry of a container: its list JSON with SizeRw (writable layer) and SizeRootFs (+ image). */
export function containerUsage(rec: ContainerRecord, imageSize: number, sizeOf: (dir: string) => number = treeSize, now = Date.now()): Record<string, unknown> {
  const sizeRw = rec.rootfs ? sizeOf(rec.rootfs.upperDir) : 0;
  return { ...listJson(rec, now), SizeRw: sizeRw, SizeRootFs: sizeRw + imageSize };
}

/** Names of the volumes each container mounts, counted per volume (Docker's RefCount). */
export function volumeRefCounts(records: readonly ContainerRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const rec of records) {
    for (const name of new Set(rec.mounts.filter((m) => m.Type === 'volume' && m.Name).map((m) => m.Name!))) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** The df entry of a volume: its JSON with UsageData {Size, RefCount}. */
export function volumeUsage(vol: Volume, refCount: number, sizeOf: (dir: string) => number = treeSize): Volume & { UsageData: { Size: number; RefCount: number } } {
  return { ...vol, UsageData: { Size: sizeOf(vol.Mountpoint), RefCount: refCount } };
}

/** The Engine API's BuildCache record. */
export interface BuildCacheRecord {
  ID: string;
  Parents: string[] | null;
  Type: 'exec.cachemount' | 'regular';
  Description: string;
  InUse: boolean;
  Shared: boolean;
  Size: number;
  CreatedAt: string;
  LastUsedAt: string | null;
  UsageCount: number;
}

const shortId = (hex: string) => hex.replace(/^sha256:/, '').slice(0, 25);

function readJson<T>(file: string): T | undefined {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')) as T; } catch { return undefined; }
}

function dirNames(dir: string): string[] {
  try { return fs.readdirSync(dir).sort(); } catch { return []; }
}

const mtimeIso = (p: string) => { try { return fs.statSync(p).mtime.toISOString(); } catch { return null; } };

/**
 * The build cache under `cacheRoot` (<state>/build-cache, see build/executor/cache.ts and
 * cache-mounts.ts): one exec.cachemount record per RUN --mount=type=cache directory, one
 * regular record per cached step. A step's size is its layer blob's; `sharedDigests` (layers
 * some image also uses) marks it Shared, as BuildKit marks records an image holds. InUse is
 * never set: which caches a build holds lives in the builder, which df does not start.
 */
export function buildCacheUsage(cacheRoot: string, sharedDigests: ReadonlySet<string>, sizeOf: (dir: string) => number = treeSize): BuildCacheRecord[] {
  const out: BuildCacheRecord[] = [];
  const mounts = path.join(cacheRoot, 'mounts');
  for (const key of dirNames(mounts)) {
    const dir = path.join(mounts, key);
    const meta = readJson<{ id?: string; created?: string }>(path.join(dir, 'meta.json'));
    if (!meta) continue; // not (yet) a cache: acquire() writes meta.json first
    out.push({
      ID: shortId(key), Parents: null, Type: 'exec.cachemount', Description: `cached mount ${meta.id ?? key}`,
      InUse: false, Shared: false, Size: sizeOf(dir), CreatedAt: meta.created ?? '', LastUsedAt: mtimeIso(dir), UsageCount: dirNames(dir).filter((n) => /^\d+$/.test(n)).length,
    });
  }
  const keys = path.join(cacheRoot, 'keys');
  for (const file of dirNames(keys).filter((n) => n.endsWith('.json'))) {
    const entry = readJson<{ key?: string; description?: { parent?: string; kind?: string; instruction?: unknown }; layer?: { digest: string; size: number }; created?: string }>(path.join(keys, file));
    if (!entry) continue;
    const parent = entry.description?.parent;
    out.push({
      ID: shortId(entry.key ?? file.slice(0, -5)),
      Parents: parent && /^(sha256:)?[0-9a-f]{64}$/.test(parent) ? [shortId(parent)] : null,
      Type: 'regular', Description: stepDescription(entry.description),
      InUse: false, Shared: entry.layer ? sharedDigests.has(entry.layer.digest) : false, Size: entry.layer?.size ?? 0,
      CreatedAt: entry.created ?? '', LastUsedAt: mtimeIso(path.join(keys, file)), UsageCount: 1,
    });
  }
  return out;
}

/** "RUN echo hi" from a cached step's description (its kind and canonical instruction). */
export function stepDescription(d: { kind?: string; instruction?: unknown } | undefined): string {
  if (!d) return '';
  const text = typeof d.instruction === 'string' ? d.instruction : JSON.stringify(d.instruction ?? '');
  const line = `${(d.kind ?? '').toUpperCase()} ${text}`.trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
