// The mount half of the second-stage init: from a RuntimeSpec to a pivoted root. Every step
// takes the Syscalls to use, so the whole sequence is unit-tested against the recording fake
// with a temp dir as the rootfs, and run for real by runtime/container/init/main.ts.
//
// Order (as runc's prepareRootfs + finalizeRootfs): private propagation → rootfs (overlay or
// bind) → spec mounts → /dev nodes → sysctl → masked paths → read-only paths → hostname →
// working directory created → pivot_root(".", ".") + detach the old root → read-only root.
// Masked and read-only paths are applied before pivot_root on root-joined paths, which keeps
// /dev/null for masking the host's and lets unit tests run on a temp dir.
import fs from 'node:fs';
import path from 'node:path';
import { MNT, MS, PROPAGATION, S_IF, parseMountOptions } from '../../linux/constants';
import { isErrno, type Syscalls } from '../../linux/syscalls';
import type { MountSpec, RuntimeSpec } from '../spec';
import { secureJoin } from './paths';
import { step } from './steps';

/** mount(2) data must fit in one page, terminating NUL included. */
export const PAGE_SIZE = 4096;

export interface RootfsOptions {
  /** The init's stdio is a terminal: bind it over /dev/console. */
  terminal: boolean;
  /** Called once the spec's mounts (the container's devpts) are in place, before /dev is populated. */
  openConsole?: () => void;
  /** v1 hierarchies of the host (from /proc/self/mountinfo), for a `cgroup` mount. */
  cgroupV1?: Array<{ dir: string; options: string }>;
  /** True when the host has a unified (v2) hierarchy at /sys/fs/cgroup. */
  cgroupV2?: boolean;
  /** Called with a label after each group of steps (the init's trace; runtime/common/trace.ts). */
  mark?: (label: string) => void;
}

/** Docker's (runc's) default device nodes in a tmpfs /dev. */
export const DEFAULT_DEVICES: ReadonlyArray<{ name: string; major: number; minor: number }> = [
  { name: 'null', major: 1, minor: 3 },
  { name: 'zero', major: 1, minor: 5 },
  { name: 'full', major: 1, minor: 7 },
  { name: 'random', major: 1, minor: 8 },
  { name: 'urandom', major: 1, minor: 9 },
  { name: 'tty', major: 5, minor: 0 },
];

const DEV_LINKS: ReadonlyArray<[string, string]> = [
  ['fd', '/proc/self/fd'], ['stdin', '/proc/self/fd/0'], ['stdout', '/proc/self/fd/1'],
  ['stderr', '/proc/self/fd/2'], ['ptmx', 'pts/ptmx'], ['core', '/proc/kcore'],
];

export function prepareRootfs(sys: Syscalls, spec: RuntimeSpec, opts: RootfsOptions): void {
  const root = spec.root.path;
  step('make mounts private', '/', () => sys.mount(null, '/', null, MS.REC | (PROPAGATION[spec.linux.rootfsPropagation ?? 'rprivate'] ?? (MS.PRIVATE)), null));
  mountRoot(sys, spec);
  opts.mark?.('propagation, root');
  for (const m of spec.mounts) step('mount', m.destination, () => mountOne(sys, root, m, opts));
  opts.openConsole?.();
  opts.mark?.('mounts');
  if (spec.mounts.some((m) => m.destination === '/dev' && m.type === 'tmpfs')) populateDev(sys, spec, opts);
  opts.mark?.('/dev');
  for (const [key, value] of Object.entries(spec.linux.sysctl ?? {})) {
    const file = path.join(root, 'proc/sys', key.replace(/\./g, '/'));
    step('sysctl', key, () => fs.writeFileSync(file, value));
  }
  for (const p of spec.linux.maskedPaths ?? []) step('mask path', p, () => maskPath(sys, root, p));
  opts.mark?.('sysctl, masked paths');
  for (const p of spec.linux.readonlyPaths ?? []) step('read-only path', p, () => readonlyPath(sys, root, p));
  opts.mark?.('read-only paths');
  if (spec.hostname !== undefined) step('set hostname', spec.hostname, () => sys.sethostname(spec.hostname as string));
  if (spec.domainname !== undefined) step('set domainname', spec.domainname, () => sys.setdomainname(spec.domainname as string));
  // Docker creates a missing working directory (as root, before the user switch).
  step('create working directory', spec.process.cwd, () => {
    try {
      fs.mkdirSync(secureJoin(root, spec.process.cwd), { recursive: true });
    } catch (err) {
      // Docker's words, with the container's path: the host path of the rootfs is not the user's.
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTDIR') throw new Error(`Cannot mkdir: ${spec.process.cwd} is not a directory`, { cause: err });
      throw err;
    }
  });
  step('pivot_root', root, () => {
    sys.chdir(root);
    sys.pivotRoot('.', '.'); // pivot_root(".", "."): the old root ends up stacked under the new one
    sys.umount2('.', MNT.DETACH);
    sys.chdir('/');
  });
  opts.mark?.('hostname, cwd, pivot_root');
  if (spec.root.readonly) step('read-only root', '/', () => sys.mount(null, '/', null, MS.BIND | MS.REMOUNT | MS.RDONLY, null));
}

function mountRoot(sys: Syscalls, spec: RuntimeSpec): void {
  const root = spec.root.path;
  const overlay = spec.slipway?.overlay;
  if (!overlay) {
    step('bind rootfs', root, () => sys.mount(root, root, null, MS.BIND | MS.REC, null));
    return;
  }
  step('mount overlay rootfs', root, () => {
    fs.mkdirSync(root, { recursive: true });
    const { data, cwd } = overlayData(overlay.lowerDirs, overlay.upperDir, overlay.workDir);
    if (cwd) sys.chdir(cwd); // relative layer paths are resolved against the caller's cwd
    sys.mount('overlay', root, 'overlay', 0, data);
  });
}

function commonParent(paths: readonly string[]): string {
  let common = path.dirname(paths[0]);
  while (!paths.every((p) => p.startsWith(`${common}/`)) && common !== '/') common = path.dirname(common);
  return common;
}

/**
 * Overlay mount data. When the absolute form does not fit in a page (many layers), the layers
 * are given relative to a directory the caller chdirs into first — the trick Docker's overlay2
 * plays with its short `l/` links: the common parent of every dir, or of the image's lower dirs
 * (their store's `l/`, with `../` to reach the container's own dirs), whichever is shorter.
 */
export function overlayData(lower: readonly string[], upper: string, work: string): { data: string; cwd?: string } {
  if (lower.length === 0) throw new Error('overlay rootfs needs at least one lower dir');
  const absolute = `lowerdir=${lower.join(':')},upperdir=${upper},workdir=${work}`;
  if (absolute.length < PAGE_SIZE) return { data: absolute };
  const relativeTo = (cwd: string) => {
    const rel = (p: string) => path.relative(cwd, p);
    return { data: `lowerdir=${lower.map(rel).join(':')},upperdir=${rel(upper)},workdir=${rel(work)}`, cwd };
  };
  // The top lower dir is the container's init layer (not in the image store): left out of the second.
  const forms = [commonParent([...lower, upper, work]), commonParent(lower.length > 1 ? lower.slice(1) : lower)].map(relativeTo);
  const { data, cwd: common } = forms.reduce((a, b) => (b.data.length < a.data.length ? b : a));
  if (data.length >= PAGE_SIZE) {
    throw new Error(`overlay mount options are ${data.length} bytes for ${lower.length} layers, over the ${PAGE_SIZE - 1}-byte limit; use shorter layer paths`);
  }
  return { data, cwd: common };
}

function isBind(m: MountSpec): boolean {
  return m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind');
}

export function mountOne(sys: Syscalls, root: string, m: MountSpec, opts: RootfsOptions): void {
  const target = secureJoin(root, m.destination);
  const { flags, propagation, data } = parseMountOptions(m.options ?? []);
  if (isBind(m)) {
    const source = m.source ?? '';
    const st = fs.statSync(source); // a missing host path is the user's error: name it
    makeMountPoint(target, st.isDirectory());
    sys.mount(source, target, null, MS.BIND | (flags & MS.REC), null);
    // Flags other than bind/rec only take effect on a remount of the bind (mount(8) does the same).
    const rest = flags & ~(MS.BIND | MS.REC);
    if (rest !== 0) sys.mount(null, target, null, MS.BIND | MS.REMOUNT | rest, null);
  } else if (m.type === 'cgroup' || m.type === 'cgroup2') {
    makeMountPoint(target, true);
    mountCgroup(sys, target, flags, opts);
  } else {
    makeMountPoint(target, true);
    sys.mount(m.source ?? m.type ?? 'none', target, m.type ?? null, flags, data.length ? data.join(',') : null);
  }
  if (propagation !== 0) sys.mount(null, target, null, propagation, null);
}

/**
 * /sys/fs/cgroup inside the container. On a v2 host one cgroup2 mount (rooted at the
 * container's cgroup by its cgroup namespace); on v1 a tmpfs holding one mount per hierarchy,
 * as runc lays it out, each also rooted by the namespace.
 */
function mountCgroup(sys: Syscalls, target: string, flags: number, opts: RootfsOptions): void {
  if (opts.cgroupV2 || !opts.cgroupV1?.length) {
    sys.mount('cgroup2', target, 'cgroup2', flags, null);
    return;
  }
  sys.mount('tmpfs', target, 'tmpfs', flags & ~MS.RDONLY, 'mode=755');
  for (const h of opts.cgroupV1) {
    const dir = path.join(target, h.dir);
    fs.mkdirSync(dir, { recursive: true });
    sys.mount('cgroup', dir, 'cgroup', flags, h.options);
    if (h.dir.includes(',')) for (const alias of h.dir.split(',')) fs.symlinkSync(h.dir, path.join(target, alias));
  }
  if (flags & MS.RDONLY) sys.mount(null, target, null, MS.REMOUNT | flags, 'mode=755');
}

function makeMountPoint(target: string, dir: boolean): void {
  if (dir) { fs.mkdirSync(target, { recursive: true }); return; }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (!fs.existsSync(target)) fs.writeFileSync(target, '');
}

function populateDev(sys: Syscalls, spec: RuntimeSpec, opts: RootfsOptions): void {
  const dev = path.join(spec.root.path, 'dev');
  const devices = [
    ...DEFAULT_DEVICES.map((d) => ({ ...d, type: 'c' as const, fileMode: 0o666 })),
    ...(spec.linux.devices ?? []).map((d) => ({ ...d, name: d.path.replace(/^\/dev\//, '') })),
  ];
  for (const d of devices) {
    const file = path.join(dev, d.name);
    step('create device', `/dev/${d.name}`, () => {
      const kind = d.type === 'b' ? S_IF.BLK : d.type === 'p' ? S_IF.FIFO : S_IF.CHR;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      try {
        sys.mknod(file, kind | ((d.fileMode ?? 0o666) & 0o7777), d.major, d.minor);
        // mknod is subject to the umask; set the mode exactly as asked.
        fs.chmodSync(file, (d.fileMode ?? 0o666) & 0o7777);
      } catch (err) {
        // Without CAP_MKNOD (rootless) bind the host's node, as runc does in a user namespace.
        if (!isErrno(err, 'EPERM')) throw err;
        fs.writeFileSync(file, '');
        sys.mount(`/dev/${d.name}`, file, null, MS.BIND, null);
      }
    });
  }
  for (const [name, target] of DEV_LINKS) {
    step('create /dev link', `/dev/${name}`, () => {
      try { fs.symlinkSync(target, path.join(dev, name)); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; }
    });
  }
  if (opts.terminal) {
    step('bind /dev/console', '/dev/console', () => {
      const console = path.join(dev, 'console');
      fs.writeFileSync(console, '');
      // fd 0 is the PTY slave the service opened, a file of the service's mount namespace, which
      // mount(2) refuses as a source (EINVAL); its path names the same node in this namespace's
      // copy of the host's /dev/pts.
      sys.mount(fs.readlinkSync('/proc/self/fd/0'), console, null, MS.BIND, null);
    });
  }
}

/** Docker's masking: /dev/null over files, an empty read-only tmpfs over directories. */
export function maskPath(sys: Syscalls, root: string, p: string): void {
  const target = secureJoin(root, p);
  let st: fs.Stats | undefined;
  try { st = fs.statSync(target, { throwIfNoEntry: false }); } catch { return; }
  if (!st) return; // absent paths need no mask
  if (st.isDirectory()) sys.mount('tmpfs', target, 'tmpfs', MS.RDONLY, null);
  else sys.mount('/dev/null', target, null, MS.BIND, null);
}

export function readonlyPath(sys: Syscalls, root: string, p: string): void {
  const target = secureJoin(root, p);
  if (!fs.existsSync(target)) return;
  sys.mount(target, target, null, MS.BIND | MS.REC, null);
  // A bind remount replaces the per-mount flags: keep /proc's and /sys's nosuid,nodev,noexec
  // (runc reads them back with statfs; these paths always live on such mounts).
  sys.mount(null, target, null, MS.BIND | MS.REMOUNT | MS.RDONLY | MS.REC | MS.NOSUID | MS.NODEV | MS.NOEXEC, null);
}

/** The host's v1 cgroup hierarchies from /proc/self/mountinfo text, for a container's /sys/fs/cgroup. */
export function cgroupV1Hierarchies(mountinfo: string): Array<{ dir: string; options: string }> {
  const out: Array<{ dir: string; options: string }> = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const [fstype, , superOpts] = right.split(' ');
    if (fstype !== 'cgroup') continue;
    const mountPoint = left.split(' ')[4];
    const options = superOpts.split(',').filter((o) => o !== 'rw' && o !== 'ro' && o !== 'xattr' && !o.startsWith('release_agent') && o !== 'clone_children' && o !== 'noprefix').join(',');
    out.push({ dir: path.basename(mountPoint), options });
  }
  return out;
}
