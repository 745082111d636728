// The container's root as a host directory, for `docker cp` (routes/archive.ts):
//  - a running (or paused) container: /proc/<pid>/root, its own mount namespace seen from the
//    host, so volumes and binds are there as the container sees them and writes land where the
//    container's own would (upper dir, volume, bind);
//  - a stopped one: an overlay of its layers mounted in the service's namespace for the call,
//    read-only for HEAD/GET (the upper dir as the top lower dir, as export does) and read-write
//    for PUT (its upper and work dirs: nothing else mounts them while the container is stopped),
//    with its binds and volumes bound on top, as dockerd mounts them for a copy (tmpfs mounts
//    have nothing to copy while the container is stopped).
// Paths under the root are resolved by container/archive with secureJoin, never by the kernel
// from the host's root, so an absolute symlink in the container cannot lead outside it.
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerRecord } from '../../container/state';
import { secureJoin } from '../../container/start/paths';
import { ConflictError, SlipwayError } from '../../errors';
import type { Syscalls } from '../../linux/syscalls';
import { exportMountOptions, storeLink } from './container-images';

const MS_RDONLY = 1;
const MS_REMOUNT = 32;
const MS_BIND = 4096;
const MS_REC = 16384;
const MNT_DETACH = 2;
const PAGE_SIZE = 4096;

export type RootMode = 'read' | 'write';

/** True when the container has a process whose /proc/<pid>/root is its root. */
export function hasLiveRoot(rec: ContainerRecord): boolean {
  return (rec.state.status === 'running' || rec.state.status === 'paused') && rec.state.pid > 0;
}

/** Overlay options of the read-write mount of a stopped container (short links when the page is too small). */
export function writableMountOptions(rootfs: NonNullable<ContainerRecord['rootfs']>, linkOf: (dir: string) => string | undefined = storeLink): string {
  const make = (lowers: readonly string[]) => `lowerdir=${lowers.join(':')},upperdir=${rootfs.upperDir},workdir=${rootfs.workDir}`;
  const plain = make(rootfs.lowerDirs);
  if (plain.length < PAGE_SIZE) return plain;
  const short = make(rootfs.lowerDirs.map((d) => linkOf(d) ?? d));
  if (short.length >= PAGE_SIZE) throw new SlipwayError(`cannot mount a container of ${rootfs.lowerDirs.length} layers: the overlay mount options are ${short.length} bytes, over the ${PAGE_SIZE - 1}-byte limit of mount(2)`);
  return short;
}

/**
 * Binds the container's bind mounts and volumes onto its mounted root, shallowest first, each
 * mount point resolved inside the root (an image's symlink cannot send a bind elsewhere);
 * read-only for reads and where the container has them read-only. A missing mount point is
 * made in the writable layer for a write (the container's start makes it anyway) and skipped
 * for a read (the read-only overlay cannot have it, and there is nothing under it to read).
 * The caller's lazy unmount of the root takes these with it.
 */
export function mountVolumes(rec: ContainerRecord, target: string, mode: RootMode, sys: Pick<Syscalls, 'mount'>): void {
  const mounts = rec.mounts.filter((m) => m.Type !== 'tmpfs' && m.Source)
    .sort((a, b) => a.Destination.split('/').length - b.Destination.split('/').length);
  for (const m of mounts) {
    const point = secureJoin(target, m.Destination);
    if (!fs.existsSync(point)) {
      if (mode === 'read') continue;
      const isDir = fs.statSync(m.Source, { throwIfNoEntry: false })?.isDirectory() ?? true;
      fs.mkdirSync(isDir ? point : path.dirname(point), { recursive: true, mode: 0o755 });
      if (!isDir) fs.writeFileSync(point, '', { flag: 'a' });
    }
    try {
      sys.mount(m.Source, point, null, MS_BIND | MS_REC, null);
      if (mode === 'read' || !m.RW) sys.mount(null, point, null, MS_BIND | MS_REMOUNT | MS_RDONLY, null);
    } catch (err) {
      throw new SlipwayError(`cannot mount ${m.Source} at ${m.Destination} of container ${rec.name}`, { cause: err });
    }
  }
}

const swept = new Set<string>();

/**
 * The first mount of this process under tmpRoot: what is left there was left by a service that
 * died mid-copy (this one has made nothing there yet), so it is unmounted and removed. Runs
 * synchronously before this call's own mkdtemp, so it never races a copy of this process.
 */
function sweepOnce(env: { sys: Syscalls; tmpRoot: string }): void {
  if (swept.has(env.tmpRoot)) return;
  swept.add(env.tmpRoot);
  let names: string[];
  try {
    names = fs.readdirSync(env.tmpRoot);
  } catch {
    return;
  }
  for (const name of names) {
    const dir = path.join(env.tmpRoot, name);
    try { env.sys.umount2(dir, MNT_DETACH); } catch { /* not mounted */ }
    try { fs.rmdirSync(dir); } catch { /* not empty: leave it for a person to look at */ }
  }
}

/**
 * Runs `work` with the container's root directory, unmounting what was mounted for it
 * afterwards (also when `work` throws).
 */
export async function withContainerRoot<T>(rec: ContainerRecord, mode: RootMode, env: { sys: Syscalls; tmpRoot: string }, work: (root: string) => Promise<T>): Promise<T> {
  if (hasLiveRoot(rec)) {
    const root = `/proc/${rec.state.pid}/root`;
    if (!fs.existsSync(root)) throw new ConflictError(`container ${rec.name} is not running any more`);
    return work(root);
  }
  if (!rec.rootfs) throw new ConflictError(`container ${rec.name} has no filesystem of its own`);
  sweepOnce(env);
  const options = mode === 'read' ? exportMountOptions(rec.rootfs.upperDir, rec.rootfs.lowerDirs) : writableMountOptions(rec.rootfs);
  fs.mkdirSync(env.tmpRoot, { recursive: true });
  const target = fs.mkdtempSync(path.join(env.tmpRoot, 'archive-'));
  try {
    env.sys.mount('overlay', target, 'overlay', mode === 'read' ? MS_RDONLY : 0, options);
  } catch (err) {
    fs.rmSync(target, { recursive: true, force: true });
    throw new SlipwayError(`cannot mount the filesystem of container ${rec.name}`, { cause: err });
  }
  try {
    mountVolumes(rec, target, mode, env.sys);
    return await work(target);
  } finally {
    try {
      env.sys.umount2(target, MNT_DETACH);
    } finally {
      fs.rmdirSync(target);
    }
  }
}
