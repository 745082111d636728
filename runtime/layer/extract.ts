// Safe extraction of a layer tar into a directory.
//
// Nothing is ever written outside `target`:
//  - entry names are cleaned lexically; an absolute name or one whose ".." climbs out of the
//    root is REFUSED (moby calls this a "breakout"), naming the entry;
//  - a hard link whose target is absolute or climbs out is refused the same way;
//  - every parent directory is resolved inside the root, one component at a time with lstat,
//    the way openat2(RESOLVE_IN_ROOT) does: a symlinked parent is followed as if the root were
//    "/" (an absolute "/etc" means <target>/etc, ".." stops at the root), so a link pointing out
//    is CONTAINED, which keeps legitimate rootfs links such as `lib -> usr/lib` working;
//  - the final component is never followed: whatever is there is replaced, not written through.
// A single writer owns `target` while extracting, so the checks are not racing anyone. With
// openat2 from runtime/linux/ the same could be enforced by the kernel; the pure-JS walk is
// equivalent as long as nobody else writes to the tree concurrently.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError, SlipwayError } from '../errors';
import { readTar } from './tar-reader';
import type { TarEntry } from './tar-header';
import type { SpecialFs } from './special-fs';
import { classifyWhiteout, isOverlayXattr, opaqueXattr, type OverlayXattrPrefix } from './whiteout';

export interface ExtractOptions {
  /**
   * 'apply': whiteouts delete what lower layers put there (extracting onto a flattened tree);
   * 'overlay': whiteouts become overlay whiteouts (0/0 char devices, opaque xattr), for a lower dir.
   */
  whiteouts: 'apply' | 'overlay';
  special: SpecialFs;
  /** Namespace of the opaque xattr in 'overlay' mode: "trusted" as root, "user" in a user namespace. */
  overlayXattrPrefix?: OverlayXattrPrefix;
  /** chown entries to their numeric uid/gid; default: when running as root. */
  sameOwner?: boolean;
  /** chown every entry to this owner instead of the tar's ids (`docker cp -a` into a container with a USER). */
  owner?: { uid: number; gid: number };
  /**
   * Refuse to replace a directory with a non-directory or the reverse (the Engine API's
   * noOverwriteDirNonDir, which `docker cp` always sets) instead of replacing it.
   */
  noOverwriteDirNonDir?: boolean;
}

export interface ExtractResult {
  entries: number;
  bytes: number;
}

const MAX_SYMLINK_HOPS = 40; // as the kernel's MAXSYMLINKS
const SMALL_FILE = 1 << 20;

/**
 * Cleans a tar entry name into root-relative components. Refuses absolute names and names that
 * climb out of the root; returns [] for the root itself ("./").
 */
export function cleanEntryPath(raw: string, what = 'tar entry'): string[] {
  if (raw.startsWith('/')) throw new InvalidArgumentError(`${what} "${raw}" has an absolute path; refusing to extract it`);
  const parts: string[] = [];
  for (const c of raw.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (parts.length === 0) throw new InvalidArgumentError(`${what} "${raw}" points outside the target directory; refusing to extract it`);
      parts.pop();
    } else parts.push(c);
  }
  return parts;
}

class InRootResolver {
  private cache = new Map<string, string>();
  constructor(private readonly root: string) {}

  invalidate(): void {
    this.cache.clear();
  }

  /** The real absolute directory for root-relative `parts`, symlinks resolved inside the root. */
  async dir(parts: string[], create: boolean, entryName: string): Promise<string | undefined> {
    const key = parts.join('/');
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const real: string[] = [];
    const queue = [...parts];
    let hops = 0;
    while (queue.length > 0) {
      const c = queue.shift()!;
      if (c === '' || c === '.') continue;
      if (c === '..') { real.pop(); continue; }
      const abs = path.join(this.root, ...real, c);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(abs);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        if (!create) return undefined;
        fs.mkdirSync(abs, { mode: 0o755 });
        real.push(c);
        continue;
      }
      if (st.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS) throw new InvalidArgumentError(`tar entry "${entryName}": too many levels of symbolic links under ${path.join(...real, c)}`);
        const target = fs.readlinkSync(abs);
        if (target.startsWith('/')) real.length = 0;
        queue.unshift(...target.split('/'));
        continue;
      }
      if (!st.isDirectory()) throw new InvalidArgumentError(`tar entry "${entryName}": parent ${path.join(...real, c)} is not a directory`);
      real.push(c);
    }
    const out = path.join(this.root, ...real);
    this.cache.set(key, out);
    return out;
  }
}

// Synchronous fs calls below are deliberate: extraction makes ~7 metadata calls per entry, and
// a promise round trip through the thread pool for each made a 10,000-file layer take many
// seconds on a busy machine (see also tree.ts). File contents still stream asynchronously.
function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Extracts a plain (uncompressed) tar stream into `target`, which must exist. */
export async function extractTar(input: Readable | AsyncIterable<Buffer>, target: string, options: ExtractOptions): Promise<ExtractResult> {
  const root = path.resolve(target);
  const resolver = new InRootResolver(root);
  const sameOwner = options.sameOwner ?? process.getuid?.() === 0;
  const owned = (entry: TarEntry): TarEntry => (options.owner ? { ...entry, ...options.owner } : entry);
  const prefix = options.overlayXattrPrefix ?? 'trusted';
  const written = new Set<string>();
  const dirTimes: [string, number][] = [];
  const result: ExtractResult = { entries: 0, bytes: 0 };

  const remove = (abs: string) => {
    fs.rmSync(abs, { recursive: true, force: true });
    resolver.invalidate();
  };

  for await (const { entry, rawPath, content } of readTar(input)) {
    result.entries++;
    const parts = cleanEntryPath(rawPath);
    if (parts.length === 0) {
      // "./": the root itself; take its metadata but never replace it.
      if (entry.type === 'directory') await applyMetadata(root, owned(entry), sameOwner, options.special);
      continue;
    }
    const rel = parts.join('/');
    const wh = classifyWhiteout(rel);
    const parentParts = parts.slice(0, -1);
    const base = parts[parts.length - 1];

    if (wh.kind !== 'none') {
      const parentAbs = await resolver.dir(parentParts, options.whiteouts === 'overlay', rawPath);
      if (parentAbs === undefined) continue; // nothing below to delete
      if (options.whiteouts === 'overlay') {
        if (wh.kind === 'opaque') {
          await options.special.setXattr(parentAbs, opaqueXattr(prefix), Buffer.from('y'));
        } else {
          const abs = path.join(parentAbs, base.slice(4));
          if (lstatOrUndefined(abs)) remove(abs);
          await options.special.mknod(abs, 'char', 0, 0, 0);
          if (sameOwner) fs.lchownSync(abs, entry.uid, entry.gid);
          written.add(abs);
        }
      } else if (wh.kind === 'opaque') {
        for (const name of fs.readdirSync(parentAbs)) {
          const child = path.join(parentAbs, name);
          if (!written.has(child)) remove(child);
        }
      } else {
        const abs = path.join(parentAbs, base.slice(4));
        if (!written.has(abs)) remove(abs);
      }
      continue;
    }

    const parentAbs = (await resolver.dir(parentParts, true, rawPath))!;
    const abs = path.join(parentAbs, base);
    const existing = lstatOrUndefined(abs);
    if (options.noOverwriteDirNonDir && existing && existing.isDirectory() !== (entry.type === 'directory')) {
      throw new InvalidArgumentError(existing.isDirectory()
        ? `cannot overwrite directory "${rel}" with non-directory "${rawPath}"`
        : `cannot overwrite non-directory "${rel}" with directory "${rawPath}"`);
    }
    written.add(abs);

    if (entry.type === 'directory') {
      if (existing && !existing.isDirectory()) remove(abs);
      if (!existing || !existing.isDirectory()) fs.mkdirSync(abs, { mode: 0o700 });
      await applyMetadata(abs, owned(entry), sameOwner, options.special);
      dirTimes.push([abs, entry.mtime]);
      continue;
    }
    if (existing) remove(abs);
    switch (entry.type) {
      case 'file': {
        if (entry.size <= SMALL_FILE) {
          const parts: Buffer[] = [];
          for await (const chunk of content) parts.push(chunk);
          fs.writeFileSync(abs, parts.length === 1 ? parts[0] : Buffer.concat(parts), { flag: 'wx', mode: 0o600 });
        } else {
          await pipeline(content, fs.createWriteStream(abs, { flags: 'wx', mode: 0o600 }));
        }
        result.bytes += entry.size;
        break;
      }
      case 'link': {
        const linkParts = cleanEntryPath(entry.linkname ?? '', `hard link "${rawPath}" to`);
        if (linkParts.length === 0) throw new InvalidArgumentError(`hard link "${rawPath}" has no target`);
        const linkParent = await resolver.dir(linkParts.slice(0, -1), false, rawPath);
        const linkAbs = linkParent && path.join(linkParent, linkParts[linkParts.length - 1]);
        const st = linkAbs && lstatOrUndefined(linkAbs);
        if (!linkAbs || !st) throw new InvalidArgumentError(`hard link "${rawPath}" points to "${entry.linkname}", which is not in the archive before it`);
        if (st.isDirectory()) throw new InvalidArgumentError(`hard link "${rawPath}" points to the directory "${entry.linkname}"`);
        fs.linkSync(linkAbs, abs);
        continue; // a hard link shares its target's inode and metadata
      }
      case 'symlink':
        fs.symlinkSync(entry.linkname ?? '', abs);
        break;
      case 'char':
      case 'block':
      case 'fifo':
        await options.special.mknod(abs, entry.type, entry.mode, entry.devmajor ?? 0, entry.devminor ?? 0);
        break;
    }
    await applyMetadata(abs, owned(entry), sameOwner, options.special);
    const t = entry.mtime;
    fs.lutimesSync(abs, t, t);
  }
  // Directory times last, deepest first, because creating children changes them.
  for (let i = dirTimes.length - 1; i >= 0; i--) {
    const [abs, t] = dirTimes[i];
    fs.utimesSync(abs, t, t);
  }
  return result;
}

async function applyMetadata(abs: string, entry: TarEntry, sameOwner: boolean, special: SpecialFs): Promise<void> {
  try {
    if (sameOwner) fs.lchownSync(abs, entry.uid, entry.gid);
    // chmod after chown: chown clears setuid/setgid bits.
    if (entry.type !== 'symlink') fs.chmodSync(abs, entry.mode & 0o7777);
    for (const [name, value] of Object.entries(entry.xattrs ?? {})) {
      // A layer must not be able to forge overlayfs' own metadata (opaque, redirect, metacopy).
      if (isOverlayXattr(name)) continue;
      await special.setXattr(abs, name, value);
    }
  } catch (err) {
    if (err instanceof SlipwayError) throw err;
    throw new SlipwayError(`cannot set owner/mode of ${abs}`, { cause: err });
  }
}
