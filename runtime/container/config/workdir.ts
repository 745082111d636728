// The working directory checked against the container's layers before a start, as dockerd's
// SetupWorkingDirectory does ("Cannot mkdir: /etc/passwd is not a directory"): the start-up
// creates a missing one, but one that is a file would fail deep in the init with the host's
// path of the merged rootfs in its message. Reads the layer directories (top-most first: the
// upper dir, the init layer, the image's layers) the way overlayfs merges them.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../errors';

type Kind = 'dir' | 'other' | 'symlink' | 'absent';

/** What `rel` is in the merged view of `layers`, and whether a directory there hides the layers below it (opaque). */
function lookup(layers: readonly string[], rel: string): { kind: Kind; layer: number; opaque: boolean } {
  for (let i = 0; i < layers.length; i++) {
    const p = path.join(layers[i], rel);
    // An AUFS-style whiteout (what image layers hold) or an overlay one (char device 0/0).
    if (fs.existsSync(path.join(path.dirname(p), `.wh.${path.basename(p)}`))) return { kind: 'absent', layer: i, opaque: false };
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      continue;
    }
    if (st.isCharacterDevice() && st.rdev === 0) return { kind: 'absent', layer: i, opaque: false };
    if (st.isSymbolicLink()) return { kind: 'symlink', layer: i, opaque: false };
    if (!st.isDirectory()) return { kind: 'other', layer: i, opaque: false };
    return { kind: 'dir', layer: i, opaque: fs.existsSync(path.join(p, '.wh..wh..opq')) };
  }
  return { kind: 'absent', layer: layers.length, opaque: false };
}

/**
 * Throws Docker's error when a component of `cwd` is a file in the merged layers. A symlink
 * ends the check (the start-up resolves it inside the rootfs), and so does a path a mount
 * covers (`mountPoints`: the container's mount destinations), whose content is the mount's.
 */
export function checkWorkingDir(layersTopFirst: readonly string[], cwd: string, mountPoints: readonly string[] = []): void {
  const parts = path.posix.normalize(cwd).split('/').filter(Boolean);
  let layers = layersTopFirst;
  for (let n = 1; n <= parts.length; n++) {
    const rel = parts.slice(0, n).join('/');
    if (mountPoints.some((m) => path.posix.normalize(m) === `/${rel}`)) return;
    const found = lookup(layers, rel);
    if (found.kind === 'absent' || found.kind === 'symlink') return;
    if (found.kind === 'other') throw new InvalidArgumentError(`Cannot mkdir: ${cwd} is not a directory`);
    // Below an opaque directory the lower layers' entries do not show.
    if (found.opaque) layers = layers.slice(0, found.layer + 1);
  }
}
