// The recording fake of Syscalls (after youki's syscall/test.rs): every call is appended to
// `calls` with its arguments, so unit tests can assert the exact mount/namespace/credential
// sequence a spec produces without root. Failures are injected per call name with an errno.
import fs from 'node:fs';
import os from 'node:os';
import { XATTR } from './constants';
import { SyscallError, isAbsentXattr, type CapabilitySets, type Rlimit, type Syscalls, type WaitStatus, type Winsize } from './syscalls';

export interface RecordedCall { call: string; args: unknown[] }

/** Thrown by the fake's execve, which cannot replace the process. */
export class FakeExecve extends Error {
  constructor(readonly path: string, readonly argv: readonly string[], readonly envp: readonly string[]) {
    super(`execve ${path}`);
  }
}

export class RecordingSyscalls implements Syscalls {
  readonly calls: RecordedCall[] = [];
  private readonly failures: Array<{ call: string; errno: number; when: (args: unknown[]) => boolean }> = [];
  private nextFd = 100;
  private winsizes = new Map<number, Winsize>();
  caps: CapabilitySets = { effective: [0xffffffff, 0x1ff], permitted: [0xffffffff, 0x1ff], inheritable: [0, 0] };
  rlimits = new Map<number, Rlimit>();
  currentUmask = 0o22;
  /** Extended attributes by path, as the l*xattr calls see them (tests may preset them). */
  readonly xattrs = new Map<string, Map<string, Buffer>>();

  /** Makes the next matching calls to `call` fail with errno `code` ("EPERM", "ENOENT", ...). */
  failOn(call: string, code: string, when: (args: unknown[]) => boolean = () => true): this {
    const errno = (os.constants.errno as Record<string, number>)[code];
    if (errno === undefined) throw new Error(`unknown errno name ${code}`);
    this.failures.push({ call, errno, when });
    return this;
  }

  /** The recorded calls named `call`, or all of them. */
  named(...names: string[]): RecordedCall[] {
    return this.calls.filter((c) => names.includes(c.call));
  }

  private record(call: string, ...args: unknown[]): void {
    this.calls.push({ call, args });
    const f = this.failures.find((x) => x.call === call && x.when(args));
    if (f) throw new SyscallError(call, args, f.errno);
  }

  unshare(flags: number): void { this.record('unshare', flags); }
  setns(fd: number, nstype: number): void { this.record('setns', fd, nstype); }
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void {
    this.record('mount', source, target, fstype, flags, data);
  }
  umount2(target: string, flags: number): void { this.record('umount2', target, flags); }
  pivotRoot(newRoot: string, putOld: string): void { this.record('pivotRoot', newRoot, putOld); }
  sethostname(name: string): void { this.record('sethostname', name); }
  setdomainname(name: string): void { this.record('setdomainname', name); }
  chdir(path: string): void { this.record('chdir', path); }
  chroot(path: string): void { this.record('chroot', path); }
  execve(path: string, argv: readonly string[], envp: readonly string[]): never {
    this.record('execve', path, argv, envp);
    throw new FakeExecve(path, argv, envp);
  }
  open(path: string, flags: number, mode = 0): number { this.record('open', path, flags, mode); return this.nextFd++; }
  close(fd: number): void { this.record('close', fd); }
  dup2(oldFd: number, newFd: number): void { this.record('dup2', oldFd, newFd); }
  fcntl(fd: number, cmd: number, arg = 0): number { this.record('fcntl', fd, cmd, arg); return 0; }
  closeRange(first: number, last: number, flags: number): void { this.record('closeRange', first, last, flags); }
  pipe2(flags: number): [number, number] { this.record('pipe2', flags); return [this.nextFd++, this.nextFd++]; }
  posixOpenpt(flags: number): number { this.record('posixOpenpt', flags); return this.nextFd++; }
  grantpt(fd: number): void { this.record('grantpt', fd); }
  unlockpt(fd: number): void { this.record('unlockpt', fd); }
  ptsname(fd: number): string { this.record('ptsname', fd); return `/dev/pts/${fd}`; }
  setWinsize(fd: number, size: Winsize): void { this.record('setWinsize', fd, size); this.winsizes.set(fd, size); }
  getWinsize(fd: number): Winsize { this.record('getWinsize', fd); return this.winsizes.get(fd) ?? { rows: 24, cols: 80 }; }
  setControllingTerminal(fd: number): void { this.record('setControllingTerminal', fd); }
  setsid(): number { this.record('setsid'); return 1; }
  prctl(option: number, arg2 = 0, arg3 = 0, arg4 = 0, arg5 = 0): number {
    this.record('prctl', option, arg2, arg3, arg4, arg5);
    return 0;
  }
  capget(): CapabilitySets { this.record('capget'); return this.caps; }
  capset(sets: CapabilitySets): void { this.record('capset', sets); this.caps = sets; }
  setgroups(gids: readonly number[]): void { this.record('setgroups', [...gids]); }
  setresuid(ruid: number, euid: number, suid: number): void { this.record('setresuid', ruid, euid, suid); }
  setresgid(rgid: number, egid: number, sgid: number): void { this.record('setresgid', rgid, egid, sgid); }
  mknod(path: string, mode: number, major: number, minor: number): void {
    this.record('mknod', path, mode, major, minor);
    // A placeholder, so code that chmods or binds the node next works on a temp-dir rootfs.
    fs.writeFileSync(path, '');
  }
  llistxattr(path: string): string[] {
    try { this.record('llistxattr', path); } catch (err) { if (isAbsentXattr(err)) return []; throw err; }
    return [...(this.xattrs.get(path)?.keys() ?? [])];
  }
  lgetxattr(path: string, name: string): Buffer | undefined {
    try { this.record('lgetxattr', path, name); } catch (err) { if (isAbsentXattr(err)) return undefined; throw err; }
    const v = this.xattrs.get(path)?.get(name);
    return v && Buffer.from(v);
  }
  lsetxattr(path: string, name: string, value: Buffer, flags = 0): void {
    this.record('lsetxattr', path, name, Buffer.from(value), flags);
    const attrs = this.xattrs.get(path) ?? new Map<string, Buffer>();
    // The kernel's CREATE/REPLACE semantics, so callers' flag choices are checked too.
    if (flags & XATTR.CREATE && attrs.has(name)) throw new SyscallError('lsetxattr', [path, name], os.constants.errno.EEXIST);
    if (flags & XATTR.REPLACE && !attrs.has(name)) throw new SyscallError('lsetxattr', [path, name], os.constants.errno.ENODATA);
    attrs.set(name, Buffer.from(value));
    this.xattrs.set(path, attrs);
  }
  lremovexattr(path: string, name: string): void {
    this.record('lremovexattr', path, name);
    if (!this.xattrs.get(path)?.delete(name)) throw new SyscallError('lremovexattr', [path, name], os.constants.errno.ENODATA);
  }
  umask(mask: number): number { this.record('umask', mask); const old = this.currentUmask; this.currentUmask = mask; return old; }
  getrlimit(resource: number): Rlimit { this.record('getrlimit', resource); return this.rlimits.get(resource) ?? { soft: 1024, hard: 4096 }; }
  setrlimit(resource: number, limit: Rlimit): void { this.record('setrlimit', resource, limit); this.rlimits.set(resource, limit); }
  kill(pid: number, signal: number): void { this.record('kill', pid, signal); }
  pidfdOpen(pid: number): number { this.record('pidfdOpen', pid); return this.nextFd++; }
  waitPidfd(pidfd: number): WaitStatus | undefined { this.record('waitPidfd', pidfd); return undefined; }
  gettid(): number { this.record('gettid'); return process.pid; }
  mallocTrim(): void { this.record('mallocTrim'); }
  setLinkUp(name: string): void { this.record('setLinkUp', name); }
}
