// OCI whiteouts ↔ overlayfs whiteouts, the pure part.
//
// In a layer tar (OCI image-spec layer.md):   in an overlay upper/lower dir (kernel overlayfs.rst):
//   dir/.wh.name   deletes dir/name            dir/name is a 0/0 character device
//   dir/.wh..wh..opq  hides dir's lower content   dir carries the xattr <prefix>.overlay.opaque = "y"
// where <prefix> is "trusted" for a root-owned mount and "user" for one made in a user namespace
// (mount option `userxattr`, kernel ≥ 5.11).
export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

export type OverlayXattrPrefix = 'trusted' | 'user';

export function opaqueXattr(prefix: OverlayXattrPrefix): string {
  return `${prefix}.overlay.opaque`;
}

/** True for xattrs that belong to overlayfs itself and must never travel in a layer tar. */
export function isOverlayXattr(name: string): boolean {
  return /^(trusted|user)\.overlay\./.test(name);
}

export type WhiteoutName =
  | { kind: 'opaque'; dir: string }
  | { kind: 'whiteout'; dir: string; target: string }
  | { kind: 'none' };

/** Classifies a cleaned, relative tar path ("a/b/.wh.c" deletes "a/b/c"). */
export function classifyWhiteout(path: string): WhiteoutName {
  const slash = path.lastIndexOf('/');
  const dir = slash >= 0 ? path.slice(0, slash) : '';
  const base = path.slice(slash + 1);
  if (base === OPAQUE_MARKER) return { kind: 'opaque', dir };
  if (base.startsWith(WHITEOUT_PREFIX) && base.length > WHITEOUT_PREFIX.length) {
    return { kind: 'whiteout', dir, target: (dir ? `${dir}/` : '') + base.slice(WHITEOUT_PREFIX.length) };
  }
  return { kind: 'none' };
}

/** The tar path that deletes `path`: "a/b" → "a/.wh.b". */
export function whiteoutPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? `${path.slice(0, slash)}/${WHITEOUT_PREFIX}${path.slice(slash + 1)}` : WHITEOUT_PREFIX + path;
}

/** The marker entry that makes `dir` opaque: "a" → "a/.wh..wh..opq". */
export function opaquePath(dir: string): string {
  return dir ? `${dir}/${OPAQUE_MARKER}` : OPAQUE_MARKER;
}

/** An overlay whiteout is a character device with device number 0/0. */
export function isOverlayWhiteout(stat: { isCharacterDevice(): boolean; rdev: number }): boolean {
  return stat.isCharacterDevice() && stat.rdev === 0;
}
