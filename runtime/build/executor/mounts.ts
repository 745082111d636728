// Overlay views of a layer stack in the service's own mount namespace, for the steps that do
// their file work from the service (COPY, ADD, WORKDIR, reading /etc/passwd, COPY --from a
// stage): lower = the stack (topmost first), a fresh upper + work dir per step. The upper dir
// is then the step's layer, exactly as a RUN container's is. Every mount lives under the
// build's temp dir, so a crash leaves nothing that `sweepBuildDirs` cannot find and undo.
import fs from 'node:fs';
import path from 'node:path';
import { mountsUnder } from '../../common/mountinfo';
import { SlipwayError } from '../../errors';
import type { Syscalls } from '../../linux/syscalls';

const MNT_DETACH = 2;
const PAGE_SIZE = 4096;

export interface OverlayView {
  /** Where the merged tree is visible (the upper dir itself when there are no lower dirs). */
  merged: string;
  upper: string;
  work: string;
  /** Unmounts (idempotent). The upper dir stays until the caller removes `dir`. */
  release(): void;
}

/**
 * Mounts `lowers` (topmost first) with a fresh upper dir under `dir`. With no lower dirs (a
 * stage FROM scratch) nothing is mounted: the upper dir is the whole tree.
 */
export function mountOverlay(sys: Syscalls, dir: string, lowers: readonly string[]): OverlayView {
  const upper = path.join(dir, 'upper');
  const work = path.join(dir, 'work');
  const merged = path.join(dir, 'merged');
  for (const d of [upper, work, merged]) fs.mkdirSync(d, { recursive: true, mode: 0o755 });
  if (lowers.length === 0) return { merged: upper, upper, work, release: () => undefined };
  const data = `lowerdir=${lowers.join(':')},upperdir=${upper},workdir=${work}`;
  if (data.length >= PAGE_SIZE) {
    throw new SlipwayError(`overlay mount options for ${lowers.length} layers are ${data.length} bytes, over the ${PAGE_SIZE - 1}-byte limit of mount(2)`);
  }
  try {
    sys.mount('overlay', merged, 'overlay', 0, data);
  } catch (err) {
    throw new SlipwayError(`cannot mount the build's overlay on ${merged}`, { cause: err });
  }
  let mounted = true;
  return {
    merged, upper, work,
    release() {
      if (!mounted) return;
      mounted = false;
      unmount(sys, merged);
    },
  };
}

function unmount(sys: Syscalls, target: string): void {
  try {
    sys.umount2(target, MNT_DETACH);
  } catch (err) {
    throw new SlipwayError(`cannot unmount ${target}`, { cause: err });
  }
}

/**
 * Removes what builds left under `root` (the service was killed mid-build): unmount first, so
 * that removing the directories can never reach into a lower layer through a live overlay.
 */
export function sweepBuildDirs(sys: Syscalls, root: string): void {
  if (!fs.existsSync(root)) return;
  for (const m of mountsUnder(root)) unmount(sys, m);
  fs.rmSync(root, { recursive: true, force: true });
}

/** Unmounts everything under `dir` and removes it (a build's own temp dir, at its end). */
export function removeBuildDir(sys: Syscalls, dir: string): void {
  for (const m of mountsUnder(dir)) unmount(sys, m);
  fs.rmSync(dir, { recursive: true, force: true });
}
