// The libc implementation of Syscalls, through koffi — the only file of Slipway that loads it.
// koffi is required lazily, on the first LibcSyscalls, so modules that merely import the types
// (and the service's start-up) do not pay its ≈15 ms (DESIGN.md fact 11).
//
// errno is read with koffi.errno() right after each failing call; nothing else runs on this
// thread between the two. Each thread (Worker) that uses the layer builds its own instance.
import {
  CAPABILITY_VERSION_3, CLD, IFREQ, IOCTL, P_PIDFD, WAIT, XATTR, makedev, splitXattrNames, syscallNumbers, type SyscallNumbers,
} from './constants';
import { SyscallError, isAbsentXattr, type CapabilitySets, type Rlimit, type Syscalls, type WaitStatus, type Winsize } from './syscalls';

type Fn = (...args: unknown[]) => number;

/** The part of koffi's API this file uses (its typings are ESM-only, this file is CJS). */
interface Koffi {
  load(path: string): { func(prototype: string): unknown };
  errno(): number;
}

interface Bindings {
  koffi: Koffi;
  fns: Record<string, Fn>;
}

let loaded: Bindings | undefined;

function bind(): Bindings {
  if (loaded) return loaded;
  // Lazy on purpose (see header): a static import would load the native module at start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const koffi = require('koffi') as Koffi;
  const lib = koffi.load('libc.so.6');
  const protos: Record<string, string> = {
    unshare: 'int unshare(int flags)',
    setns: 'int setns(int fd, int nstype)',
    mount: 'int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data)',
    umount2: 'int umount2(const char *target, int flags)',
    sethostname: 'int sethostname(const char *name, size_t len)',
    setdomainname: 'int setdomainname(const char *name, size_t len)',
    chdir: 'int chdir(const char *path)',
    chroot: 'int chroot(const char *path)',
    execve: 'int execve(const char *path, const char **argv, const char **envp)',
    open: 'int open(const char *path, int flags, uint32_t mode)',
    close: 'int close(int fd)',
    dup2: 'int dup2(int oldfd, int newfd)',
    fcntl: 'int fcntl(int fd, int cmd, long arg)',
    pipe2: 'int pipe2(_Out_ int *fds, int flags)',
    posix_openpt: 'int posix_openpt(int flags)',
    grantpt: 'int grantpt(int fd)',
    unlockpt: 'int unlockpt(int fd)',
    ptsname_r: 'int ptsname_r(int fd, _Out_ char *buf, size_t len)',
    ioctl_ptr: 'int ioctl(int fd, unsigned long request, void *arg)',
    ioctl_int: 'int ioctl(int fd, unsigned long request, long arg)',
    setsid: 'int setsid()',
    prctl: 'int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)',
    mknod: 'int mknod(const char *path, uint32_t mode, uint64_t dev)',
    llistxattr: 'long llistxattr(const char *path, void *list, size_t size)',
    lgetxattr: 'long lgetxattr(const char *path, const char *name, void *value, size_t size)',
    lsetxattr: 'int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)',
    lremovexattr: 'int lremovexattr(const char *path, const char *name)',
    umask: 'uint32_t umask(uint32_t mask)',
    getrlimit: 'int getrlimit(int resource, void *rlim)',
    setrlimit: 'int setrlimit(int resource, void *rlim)',
    kill: 'int kill(int pid, int sig)',
    waitid: 'int waitid(int idtype, uint32_t id, void *info, int options)',
    syscall: 'long syscall(long number, ...)',
    socket: 'int socket(int domain, int type, int protocol)',
    malloc_trim: 'int malloc_trim(size_t pad)',
  };
  const fns: Record<string, Fn> = {};
  for (const [name, proto] of Object.entries(protos)) fns[name] = lib.func(proto) as unknown as Fn;
  loaded = { koffi, fns };
  return loaded;
}

const RLIM_INFINITY = 0xffffffffffffffffn;
const toRlim = (v: number): bigint => (v === Infinity ? RLIM_INFINITY : BigInt(v));
const fromRlim = (v: bigint): number => (v === RLIM_INFINITY ? Infinity : Number(v));

export class LibcSyscalls implements Syscalls {
  private readonly b: Bindings;
  private readonly nr: SyscallNumbers;
  /** Scratch for xattr names and values: the kernel caps both at 64 KiB (XATTR.*_MAX), so one call always fits. */
  private readonly xattrBuf = Buffer.allocUnsafe(Math.max(XATTR.LIST_MAX, XATTR.SIZE_MAX));

  constructor(arch: string = process.arch) {
    this.nr = syscallNumbers(arch);
    this.b = bind();
  }

  /** Calls a libc function; a result of -1 throws with errno and the arguments shown. */
  private call(name: string, shown: unknown[], ...args: unknown[]): number {
    const r = this.b.fns[name](...args);
    if (r === -1) throw new SyscallError(name, shown, this.b.koffi.errno());
    return r;
  }

  /** syscall(2) with integer/pointer arguments given as koffi (type, value) pairs. */
  private raw(name: keyof SyscallNumbers, shown: unknown[], ...typed: unknown[]): number {
    const r = Number(this.b.fns.syscall(this.nr[name], ...typed));
    if (r === -1) throw new SyscallError(name, shown, this.b.koffi.errno());
    return r;
  }

  unshare(flags: number): void { this.call('unshare', [flags], flags); }
  setns(fd: number, nstype: number): void { this.call('setns', [fd, nstype], fd, nstype); }
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void {
    this.call('mount', [source, target, fstype, flags, data], source, target, fstype, flags, data);
  }
  umount2(target: string, flags: number): void { this.call('umount2', [target, flags], target, flags); }
  pivotRoot(newRoot: string, putOld: string): void {
    this.raw('pivot_root', [newRoot, putOld], 'const char *', newRoot, 'const char *', putOld);
  }
  sethostname(name: string): void {
    this.call('sethostname', [name], name, Buffer.byteLength(name));
  }
  setdomainname(name: string): void {
    this.call('setdomainname', [name], name, Buffer.byteLength(name));
  }
  chdir(path: string): void { this.call('chdir', [path], path); }
  chroot(path: string): void { this.call('chroot', [path], path); }
  execve(path: string, argv: readonly string[], envp: readonly string[]): never {
    this.call('execve', [path, argv], path, [...argv, null], [...envp, null]);
    throw new SyscallError('execve', [path, argv], 0); // unreachable: execve returns only -1
  }
  open(path: string, flags: number, mode = 0): number { return this.call('open', [path, flags, mode], path, flags, mode); }
  close(fd: number): void { this.call('close', [fd], fd); }
  dup2(oldFd: number, newFd: number): void { this.call('dup2', [oldFd, newFd], oldFd, newFd); }
  fcntl(fd: number, cmd: number, arg = 0): number { return this.call('fcntl', [fd, cmd, arg], fd, cmd, arg); }
  closeRange(first: number, last: number, flags: number): void {
    this.raw('close_range', [first, last, flags], 'uint32_t', first, 'uint32_t', last >>> 0, 'uint32_t', flags);
  }
  pipe2(flags: number): [number, number] {
    const fds = new Int32Array(2);
    this.call('pipe2', [flags], fds, flags);
    return [fds[0], fds[1]];
  }
  posixOpenpt(flags: number): number { return this.call('posix_openpt', [flags], flags); }
  grantpt(fd: number): void { this.call('grantpt', [fd], fd); }
  unlockpt(fd: number): void { this.call('unlockpt', [fd], fd); }
  ptsname(fd: number): string {
    const buf = Buffer.alloc(128);
    const r = this.b.fns.ptsname_r(fd, buf, buf.length);
    if (r !== 0) throw new SyscallError('ptsname_r', [fd], r);
    return buf.subarray(0, buf.indexOf(0)).toString();
  }
  setWinsize(fd: number, size: Winsize): void {
    const ws = new Uint16Array([size.rows, size.cols, 0, 0]);
    this.call('ioctl_ptr', [fd, 'TIOCSWINSZ', size.rows, size.cols], fd, IOCTL.TIOCSWINSZ, ws);
  }
  getWinsize(fd: number): Winsize {
    const ws = new Uint16Array(4);
    this.call('ioctl_ptr', [fd, 'TIOCGWINSZ'], fd, IOCTL.TIOCGWINSZ, ws);
    return { rows: ws[0], cols: ws[1] };
  }
  setControllingTerminal(fd: number): void { this.call('ioctl_int', [fd, 'TIOCSCTTY', 0], fd, IOCTL.TIOCSCTTY, 0); }
  setsid(): number { return this.call('setsid', []); }
  prctl(option: number, arg2 = 0, arg3 = 0, arg4 = 0, arg5 = 0): number {
    return this.call('prctl', [option, arg2, arg3, arg4, arg5], option, arg2, arg3, arg4, arg5);
  }
  capget(): CapabilitySets {
    const header = new Uint32Array([CAPABILITY_VERSION_3, 0]);
    const data = new Uint32Array(6); // 2 × {effective, permitted, inheritable}
    this.raw('capget', [], 'void *', header, 'void *', data);
    return { effective: [data[0], data[3]], permitted: [data[1], data[4]], inheritable: [data[2], data[5]] };
  }
  capset(sets: CapabilitySets): void {
    const header = new Uint32Array([CAPABILITY_VERSION_3, 0]); // pid 0: the calling thread
    const data = new Uint32Array([
      sets.effective[0], sets.permitted[0], sets.inheritable[0],
      sets.effective[1], sets.permitted[1], sets.inheritable[1],
    ]);
    this.raw('capset', [sets], 'void *', header, 'void *', data);
  }
  setgroups(gids: readonly number[]): void {
    const list = new Uint32Array(gids);
    this.raw('setgroups', [gids], 'long', gids.length, 'void *', list);
  }
  setresuid(ruid: number, euid: number, suid: number): void {
    this.raw('setresuid', [ruid, euid, suid], 'long', ruid, 'long', euid, 'long', suid);
  }
  setresgid(rgid: number, egid: number, sgid: number): void {
    this.raw('setresgid', [rgid, egid, sgid], 'long', rgid, 'long', egid, 'long', sgid);
  }
  mknod(path: string, mode: number, major: number, minor: number): void {
    this.call('mknod', [path, mode.toString(8), major, minor], path, mode, makedev(major, minor));
  }
  // llistxattr and lgetxattr run once per path of every layer: they call the bound function
  // directly (no argument arrays, no spread) and build the error's argument list only on failure.
  llistxattr(path: string): string[] {
    const n = Number(this.b.fns.llistxattr(path, this.xattrBuf, this.xattrBuf.length));
    if (n > 0) return splitXattrNames(this.xattrBuf.subarray(0, n));
    if (n === 0) return [];
    const err = new SyscallError('llistxattr', [path], this.b.koffi.errno());
    if (isAbsentXattr(err)) return [];
    throw err;
  }
  lgetxattr(path: string, name: string): Buffer | undefined {
    const n = Number(this.b.fns.lgetxattr(path, name, this.xattrBuf, this.xattrBuf.length));
    if (n >= 0) return Buffer.from(this.xattrBuf.subarray(0, n)); // a copy: the scratch is reused by the next call
    const err = new SyscallError('lgetxattr', [path, name], this.b.koffi.errno());
    if (isAbsentXattr(err)) return undefined;
    throw err;
  }
  lsetxattr(path: string, name: string, value: Buffer, flags = 0): void {
    this.call('lsetxattr', [path, name, `${value.length} bytes`, flags], path, name, value, value.length, flags);
  }
  lremovexattr(path: string, name: string): void { this.call('lremovexattr', [path, name], path, name); }
  umask(mask: number): number { return this.b.fns.umask(mask); }
  getrlimit(resource: number): Rlimit {
    const buf = new BigUint64Array(2);
    this.call('getrlimit', [resource], resource, buf);
    return { soft: fromRlim(buf[0]), hard: fromRlim(buf[1]) };
  }
  setrlimit(resource: number, limit: Rlimit): void {
    const buf = new BigUint64Array([toRlim(limit.soft), toRlim(limit.hard)]);
    this.call('setrlimit', [resource, limit.soft, limit.hard], resource, buf);
  }
  kill(pid: number, signal: number): void { this.call('kill', [pid, signal], pid, signal); }
  pidfdOpen(pid: number): number { return this.raw('pidfd_open', [pid], 'long', pid, 'long', 0); }
  waitPidfd(pidfd: number): WaitStatus | undefined {
    // siginfo_t is 128 bytes; si_pid at 16, si_code at 8, si_status at 24 (x86_64 and aarch64).
    const info = new Int32Array(32);
    this.call('waitid', [pidfd], P_PIDFD, pidfd, info, WAIT.EXITED | WAIT.NOHANG);
    if (info[4] === 0) return undefined; // WNOHANG and nothing to report: si_pid stays 0
    return info[2] === CLD.EXITED ? { exitCode: info[6] } : { signal: info[6] };
  }
  gettid(): number { return this.raw('gettid', []); }
  mallocTrim(): void { this.b.fns.malloc_trim(0); } // returns whether it freed anything; never fails
  setLinkUp(name: string): void {
    const AF_INET = 2, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0o2000000;
    const fd = this.call('socket', ['AF_INET', 'SOCK_DGRAM'], AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    try {
      const ifr = Buffer.alloc(IFREQ.SIZE);
      ifr.write(name.slice(0, 15), 0, 'utf8');
      this.call('ioctl_ptr', [name, 'SIOCGIFFLAGS'], fd, IOCTL.SIOCGIFFLAGS, ifr);
      ifr.writeUInt16LE(ifr.readUInt16LE(IFREQ.FLAGS_OFFSET) | IFREQ.IFF_UP, IFREQ.FLAGS_OFFSET);
      this.call('ioctl_ptr', [name, 'SIOCSIFFLAGS'], fd, IOCTL.SIOCSIFFLAGS, ifr);
    } finally {
      this.b.fns.close(fd);
    }
  }
}
