// The one narrow interface to the kernel (STYLE.md §2, after youki's `Syscall` trait). Every
// privileged call of the runtime goes through it; the libc implementation (libc.ts, koffi) and
// the recording fake (fake.ts) are passed in through constructors and parameters, never picked
// by an environment switch. Calls are synchronous and throw SyscallError on failure.
//
// Credentials and capabilities are set with RAW syscalls (setgroups/setresuid/setresgid,
// capset): the kernel applies them to the calling thread only, while glibc's wrappers broadcast
// them to every thread of the process (DESIGN.md fact 5). The service's main thread must stay
// root, so only disposable Workers and the second-stage init ever call these.
import os from 'node:os';
import { SlipwayError } from '../errors';

export interface CapabilitySets {
  /** 64-bit masks as [bits 0-31, bits 32-63]. */
  effective: [number, number];
  permitted: [number, number];
  inheritable: [number, number];
}

export interface Rlimit { soft: number; hard: number } // Infinity = RLIM_INFINITY
export interface Winsize { rows: number; cols: number }
export type WaitStatus = { exitCode: number; signal?: undefined } | { exitCode?: undefined; signal: number };

export interface Syscalls {
  unshare(flags: number): void;
  setns(fd: number, nstype: number): void;
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void;
  umount2(target: string, flags: number): void;
  pivotRoot(newRoot: string, putOld: string): void;
  sethostname(name: string): void;
  setdomainname(name: string): void;
  chdir(path: string): void;
  chroot(path: string): void;
  /** Only returns by throwing. */
  execve(path: string, argv: readonly string[], envp: readonly string[]): never;
  open(path: string, flags: number, mode?: number): number;
  close(fd: number): void;
  dup2(oldFd: number, newFd: number): void;
  fcntl(fd: number, cmd: number, arg?: number): number;
  closeRange(first: number, last: number, flags: number): void;
  pipe2(flags: number): [read: number, write: number];
  posixOpenpt(flags: number): number;
  grantpt(fd: number): void;
  unlockpt(fd: number): void;
  ptsname(fd: number): string;
  setWinsize(fd: number, size: Winsize): void;
  getWinsize(fd: number): Winsize;
  /** ioctl(fd, TIOCSCTTY, 0): make the tty the caller's controlling terminal. */
  setControllingTerminal(fd: number): void;
  setsid(): number;
  prctl(option: number, arg2?: number, arg3?: number, arg4?: number, arg5?: number): number;
  capget(): CapabilitySets;
  capset(sets: CapabilitySets): void;
  setgroups(gids: readonly number[]): void;
  setresuid(ruid: number, euid: number, suid: number): void;
  setresgid(rgid: number, egid: number, sgid: number): void;
  /** mknod(2): `mode` carries the file type (S_IF.CHR/BLK/FIFO) and the permission bits (less the umask). */
  mknod(path: string, mode: number, major: number, minor: number): void;
  /**
   * llistxattr(2): the attribute names of `path` itself (a final symlink is not followed);
   * [] where the filesystem has no extended attributes (ENOTSUP).
   */
  llistxattr(path: string): string[];
  /** lgetxattr(2): the exact bytes, or undefined when there is no such attribute (ENODATA, ENOTSUP). */
  lgetxattr(path: string, name: string): Buffer | undefined;
  /** lsetxattr(2); `flags` is 0, XATTR.CREATE or XATTR.REPLACE. */
  lsetxattr(path: string, name: string, value: Buffer, flags?: number): void;
  lremovexattr(path: string, name: string): void;
  umask(mask: number): number;
  getrlimit(resource: number): Rlimit;
  setrlimit(resource: number, limit: Rlimit): void;
  kill(pid: number, signal: number): void;
  pidfdOpen(pid: number): number;
  /** waitid(P_PIDFD, fd, WEXITED|WNOHANG): undefined while the process still runs. */
  waitPidfd(pidfd: number): WaitStatus | undefined;
  gettid(): number;
  /**
   * malloc_trim(3): gives the free memory of every malloc arena back to the kernel. The
   * service calls it after its idle Worker threads end: their arenas stay mapped otherwise.
   */
  mallocTrim(): void;
  /** SIOCSIFFLAGS |= IFF_UP on the named interface of the caller's network namespace. */
  setLinkUp(name: string): void;
}

const errnoNames = new Map<number, string>(Object.entries(os.constants.errno).map(([name, n]) => [n, name]));

/** errno → its symbolic name ("EPERM"), or "errno N" when unknown. */
export function errnoName(errno: number): string {
  return errnoNames.get(errno) ?? `errno ${errno}`;
}

/**
 * A failed system call: the message names the call, its arguments and the errno, e.g.
 * `mount("overlay", "/x/rootfs", "overlay", 0x0, "lowerdir=...") failed: EINVAL`.
 */
export class SyscallError extends SlipwayError {
  readonly code: string;
  constructor(readonly call: string, readonly args: readonly unknown[], readonly errno: number) {
    super(`${call}(${args.map(formatArg).join(', ')}) failed: ${errnoName(errno)}`);
    this.code = errnoName(errno);
  }
}

/** An argument as the error message shows it: strings quoted, flags and masks in hex, records by field. */
export function formatArg(arg: unknown): string {
  if (typeof arg === 'string') return JSON.stringify(arg.length > 300 ? `${arg.slice(0, 300)}...` : arg);
  if (Array.isArray(arg)) return `[${arg.map(formatArg).join(', ')}]`;
  if (typeof arg === 'number' && arg > 255) return `0x${arg.toString(16)}`;
  if (typeof arg === 'bigint') return `0x${arg.toString(16)}`;
  if (ArrayBuffer.isView(arg)) return `<${arg.byteLength} bytes>`;
  // A record such as capset's CapabilitySets: String() would print "[object Object]".
  if (arg && typeof arg === 'object') return `{${Object.entries(arg).map(([k, v]) => `${k}: ${formatArg(v)}`).join(', ')}}`;
  return String(arg);
}

/** True when `err` is a SyscallError with one of the given errno names. */
export function isErrno(err: unknown, ...codes: string[]): boolean {
  return err instanceof SyscallError && codes.includes(err.code);
}

/**
 * Errors of l*xattr calls that mean "nothing there" rather than a failure: ENODATA (no such
 * attribute) and ENOTSUP (a filesystem without xattrs, e.g. some FUSE or old tmpfs mounts).
 * Shared by the libc implementation and the fake, so both map injected errors alike.
 */
export function isAbsentXattr(err: unknown): boolean {
  return isErrno(err, 'ENODATA', 'ENOTSUP', 'EOPNOTSUPP');
}
