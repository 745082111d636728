// Mounts a test leaves behind: every harness asks the same two questions of the mount table.
import { spawnSync } from 'node:child_process';
import { mountsUnder } from '../../runtime/common/mountinfo';

/** Mount points at or below `dir` (none may be left once a test's containers and builds are gone). */
export { mountsUnder };

/** Lazily unmounts (umount -l) everything at or below `dir`, deepest first; returns what is still mounted. */
export function unmountAllUnder(dir: string): string[] {
  for (const m of mountsUnder(dir)) spawnSync('umount', ['-l', m]);
  return mountsUnder(dir);
}
