// The pure half of `docker cp`: how a container path given to /containers/{id}/archive is
// split and resolved (moby's container.ResolvePath), and the X-Docker-Container-Path-Stat
// header the docker CLI reads (base64 of JSON {name,size,mode,mtime,linkTarget}, where mode is
// Go's os.FileMode, not a Unix st_mode).
import type fs from 'node:fs';
import { InvalidArgumentError } from '../../errors';
import { unescapeMountPath } from '../../common/mountinfo';

export interface ContainerPathStat {
  name: string;
  size: number;
  /** Go's os.FileMode bits (ModeDir is 1<<31 …), as the docker CLI's stat.Mode.IsDir() reads them. */
  mode: number;
  /** RFC 3339, as Go marshals a time.Time. */
  mtime: string;
  /** For a symlink: the fully resolved path inside the container; "" otherwise. */
  linkTarget: string;
}

export const PATH_STAT_HEADER = 'X-Docker-Container-Path-Stat';

// Go's os.FileMode type bits (io/fs FileMode constants).
export const GO_MODE = {
  dir: 2 ** 31,
  symlink: 2 ** 27,
  device: 2 ** 26,
  namedPipe: 2 ** 25,
  socket: 2 ** 24,
  setuid: 2 ** 23,
  setgid: 2 ** 22,
  charDevice: 2 ** 21,
  sticky: 2 ** 20,
} as const;

const S_IFMT = 0o170000;
const UNIX_TYPE_TO_GO: ReadonlyArray<[number, number]> = [
  [0o040000, GO_MODE.dir],
  [0o120000, GO_MODE.symlink],
  [0o060000, GO_MODE.device],
  [0o020000, GO_MODE.device + GO_MODE.charDevice],
  [0o010000, GO_MODE.namedPipe],
  [0o140000, GO_MODE.socket],
];
const UNIX_SPECIAL_TO_GO: ReadonlyArray<[number, number]> = [
  [0o4000, GO_MODE.setuid],
  [0o2000, GO_MODE.setgid],
  [0o1000, GO_MODE.sticky],
];

/** st_mode → Go's os.FileMode (what Go's os.Lstat gives, and so what dockerd sends). */
export function toGoFileMode(stMode: number): number {
  let out = stMode & 0o777;
  const type = stMode & S_IFMT;
  for (const [unix, go] of UNIX_TYPE_TO_GO) if (type === unix) out += go;
  for (const [unix, go] of UNIX_SPECIAL_TO_GO) if (stMode & unix) out += go;
  return out;
}

/** Go's filepath.Base on a Unix path: "." for "", "/" for "/", trailing slashes ignored. */
export function goBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export interface ContainerPath {
  /** The path made absolute in the container, its trailing "/" or "/." kept. */
  absPath: string;
  /** The directory part (to resolve inside the root, symlinks contained). */
  dir: string;
  /** The last component, left unresolved unless followFinal. */
  base: string;
  /** True when the whole path is resolved, the last component too (a trailing "/" or "/.", "..", "/"). */
  followFinal: boolean;
}

/**
 * Splits a container path the way moby's ResolvePath does: the directory is resolved inside
 * the container's root, the last component is not (so a symlink is archived as a symlink),
 * except after a trailing "/" or "/." which asks for what the link points to.
 */
export function splitContainerPath(raw: string | undefined): ContainerPath {
  if (raw === undefined || raw === '') throw new InvalidArgumentError('path cannot be empty');
  if (raw.includes('\0')) throw new InvalidArgumentError(`invalid path "${raw.replace(/\0/g, '\\0')}": it contains a NUL byte`);
  const absPath = `/${raw}`.replace(/\/{2,}/g, '/');
  const cut = absPath.lastIndexOf('/');
  const dir = absPath.slice(0, cut) || '/';
  const base = absPath.slice(cut + 1);
  return { absPath, dir, base, followFinal: base === '' || base === '.' || base === '..' };
}

/**
 * The name entries of GET /archive are rebased onto: Go's filepath.Base of the absolute path,
 * so "/etc/." gives "." (the directory's contents) and "/etc/" gives "etc". "/" gives ".".
 */
export function rebaseName(absPath: string): string {
  if (/(^|\/)\.$/.test(absPath)) return '.';
  const b = goBase(absPath);
  return b === '/' ? '.' : b;
}

export function pathStat(absPath: string, st: Pick<fs.Stats, 'mode' | 'size' | 'mtimeMs'>, linkTarget = ''): ContainerPathStat {
  return { name: goBase(absPath), size: st.size, mode: toGoFileMode(st.mode), mtime: new Date(st.mtimeMs).toISOString(), linkTarget };
}

export function encodePathStat(stat: ContainerPathStat): string {
  return Buffer.from(JSON.stringify(stat)).toString('base64');
}

export function decodePathStat(header: string | undefined): ContainerPathStat {
  if (!header) throw new InvalidArgumentError(`no ${PATH_STAT_HEADER} header in the response`);
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as ContainerPathStat;
  } catch (cause) {
    throw new InvalidArgumentError(`unable to decode the ${PATH_STAT_HEADER} header`, { cause });
  }
}

export function isGoDir(mode: number): boolean {
  return mode >= GO_MODE.dir;
}

/** dockerd's 404 wording for a path that is not there (moby daemon/archive.go containerFileNotFound). */
export function fileNotFoundMessage(file: string, container: string): string {
  return `Could not find the file ${file} in container ${container}`;
}

// Kernel filesystems a running container has mounted for itself: dockerd archives the
// container's rootfs and volumes, where /proc, /sys and /dev are empty directories, never
// their live contents (which would not even read back at their stat sizes).
const KERNEL_FS = new Set(['proc', 'sysfs', 'devpts', 'mqueue', 'cgroup', 'cgroup2', 'devtmpfs', 'securityfs', 'debugfs', 'tracefs', 'bpf', 'configfs', 'pstore', 'fusectl']);

/**
 * From a container's /proc/<pid>/mountinfo: the mount points (container paths) whose contents
 * GET /archive leaves out: kernel filesystems, and the tmpfs on /dev.
 */
export function kernelMountPoints(mountinfo: string): string[] {
  const out = new Set<string>();
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 0 || fields.length < 5) continue;
    const point = unescapeMountPath(fields[4]);
    const type = fields[dash + 1];
    if (KERNEL_FS.has(type) || (type === 'tmpfs' && point === '/dev')) out.add(point);
  }
  return [...out].sort();
}

/**
 * moby's write check for PUT /archive (daemon/archive.go): a path inside a mount must be in a
 * read-write one; a path on the rootfs needs a rootfs that is not read-only. Both refusals
 * are the Engine API's 403. Returns the message, or undefined when the write may go ahead.
 */
export function archiveWriteRefusal(absPath: string, mounts: ReadonlyArray<{ Destination: string; RW: boolean }>, readonlyRootfs: boolean): string | undefined {
  const clean = `/${absPath.split('/').filter((p) => p !== '' && p !== '.').join('/')}`;
  let inMount = false;
  for (const m of mounts) {
    const dest = m.Destination.replace(/\/+$/, '') || '/';
    if (clean !== dest && !clean.startsWith(dest === '/' ? '/' : `${dest}/`)) continue;
    if (!m.RW) return 'mounted volume is marked read-only';
    inMount = true;
  }
  if (!inMount && readonlyRootfs) return 'container rootfs is marked read-only';
  return undefined;
}
