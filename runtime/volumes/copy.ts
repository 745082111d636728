// Pre-filling a new volume from the image: the content at the mount path, as the container
// would see it through the overlay (layers top-most first, whiteouts and opaque directories
// honoured), copied with modes, owners, times and symlinks kept — what Docker does the first
// time an empty volume is mounted over a path the image has files at.
import fs from 'node:fs';
import path from 'node:path';

export interface MergedCopyOptions {
  /**
   * Whether a directory of a layer is opaque (hides lower layers). Overlay marks this with
   * the xattr trusted.overlay.opaque, which Node cannot read; the Linux layer can pass a
   * getxattr-based check. The OCI marker file `.wh..wh..opq` is always honoured.
   */
  isOpaque?: (dir: string) => boolean;
}

const WH_PREFIX = '.wh.';
const WH_OPAQUE = '.wh..wh..opq';

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

const isWhiteout = (st: fs.Stats) => st.isCharacterDevice() && st.rdev === 0;

function keepMeta(src: fs.Stats, dst: string, link = false): void {
  if (link) {
    fs.lchownSync(dst, src.uid, src.gid);
    return;
  }
  fs.chownSync(dst, src.uid, src.gid);
  fs.chmodSync(dst, src.mode & 0o7777);
  fs.utimesSync(dst, src.atime, src.mtime);
}

/**
 * Copies the merged view of `rel` (a directory in the image) into `dst` (an existing empty
 * directory). Returns the number of entries copied. Device nodes and sockets are skipped
 * (making them needs mknod, which lives in the Linux layer).
 */
export function copyMerged(layersTopFirst: readonly string[], rel: string, dst: string, opts: MergedCopyOptions = {}): number {
  const found = new Map<string, number>();
  const hidden = new Set<string>();
  let count = 0;
  let first: fs.Stats | undefined;
  for (let i = 0; i < layersTopFirst.length; i++) {
    const dir = path.join(layersTopFirst[i], rel);
    const st = lstat(dir);
    if (!st) {
      if (lstat(path.join(path.dirname(dir), WH_PREFIX + path.basename(dir)))) break;
      continue;
    }
    if (!st.isDirectory()) break; // a file or whiteout hides this path and everything below it
    first ??= st;
    const names = fs.readdirSync(dir);
    for (const name of names) {
      if (name === WH_OPAQUE) continue;
      if (name.startsWith(WH_PREFIX)) {
        hidden.add(name.slice(WH_PREFIX.length));
        continue;
      }
      if (!found.has(name) && !hidden.has(name)) found.set(name, i);
    }
    if (names.includes(WH_OPAQUE) || opts.isOpaque?.(dir)) break;
  }
  if (first) keepMeta(first, dst);
  for (const [name, layer] of found) {
    const src = path.join(layersTopFirst[layer], rel, name);
    const to = path.join(dst, name);
    const st = lstat(src);
    if (!st || isWhiteout(st)) continue;
    if (st.isDirectory()) {
      fs.mkdirSync(to);
      count += 1 + copyMerged(layersTopFirst.slice(layer), path.join(rel, name), to, opts);
    } else if (st.isFile()) {
      fs.copyFileSync(src, to);
      keepMeta(st, to);
      count++;
    } else if (st.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(src), to);
      keepMeta(st, to, true);
      count++;
    }
  }
  return count;
}
