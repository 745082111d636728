// Kernel ABI numbers as data tables, so that flag parsing and mask building are plain lookups
// that unit tests can check without loading libc. Values are from the Linux uapi headers
// (include/uapi/linux/{sched,mount,prctl,capability}.h, asm-generic/ioctls.h); only x86_64 and
// aarch64 are supported, and the syscall numbers that differ between them are per-arch below.

export const CLONE = {
  FS: 0x00000200,
  NEWNS: 0x00020000,
  NEWCGROUP: 0x02000000,
  NEWUTS: 0x04000000,
  NEWIPC: 0x08000000,
  NEWUSER: 0x10000000,
  NEWPID: 0x20000000,
  NEWNET: 0x40000000,
} as const;

/** OCI namespace type → clone flag and the /proc/PID/ns/ file name. */
export const NAMESPACES = {
  mount: { flag: CLONE.NEWNS, file: 'mnt' },
  uts: { flag: CLONE.NEWUTS, file: 'uts' },
  ipc: { flag: CLONE.NEWIPC, file: 'ipc' },
  network: { flag: CLONE.NEWNET, file: 'net' },
  pid: { flag: CLONE.NEWPID, file: 'pid' },
  cgroup: { flag: CLONE.NEWCGROUP, file: 'cgroup' },
  user: { flag: CLONE.NEWUSER, file: 'user' },
} as const;

export const MS = {
  RDONLY: 1,
  NOSUID: 2,
  NODEV: 4,
  NOEXEC: 8,
  SYNCHRONOUS: 16,
  REMOUNT: 32,
  MANDLOCK: 64,
  DIRSYNC: 128,
  NOSYMFOLLOW: 256,
  NOATIME: 1024,
  NODIRATIME: 2048,
  BIND: 4096,
  MOVE: 8192,
  REC: 16384,
  SILENT: 32768,
  UNBINDABLE: 1 << 17,
  PRIVATE: 1 << 18,
  SLAVE: 1 << 19,
  SHARED: 1 << 20,
  RELATIME: 1 << 21,
  STRICTATIME: 1 << 24,
  LAZYTIME: 1 << 25,
} as const;

export const MNT = { FORCE: 1, DETACH: 2, EXPIRE: 4 } as const;

/**
 * OCI/fstab mount options that are flags (as runc's and crun's option tables): `clear` options
 * remove the flag. Anything not in this table is passed to the filesystem as data.
 */
export const MOUNT_OPTIONS: Record<string, { flag: number; clear?: boolean }> = {
  ro: { flag: MS.RDONLY },
  rw: { flag: MS.RDONLY, clear: true },
  nosuid: { flag: MS.NOSUID },
  suid: { flag: MS.NOSUID, clear: true },
  nodev: { flag: MS.NODEV },
  dev: { flag: MS.NODEV, clear: true },
  noexec: { flag: MS.NOEXEC },
  exec: { flag: MS.NOEXEC, clear: true },
  sync: { flag: MS.SYNCHRONOUS },
  async: { flag: MS.SYNCHRONOUS, clear: true },
  dirsync: { flag: MS.DIRSYNC },
  remount: { flag: MS.REMOUNT },
  mand: { flag: MS.MANDLOCK },
  nomand: { flag: MS.MANDLOCK, clear: true },
  atime: { flag: MS.NOATIME, clear: true },
  noatime: { flag: MS.NOATIME },
  diratime: { flag: MS.NODIRATIME, clear: true },
  nodiratime: { flag: MS.NODIRATIME },
  relatime: { flag: MS.RELATIME },
  norelatime: { flag: MS.RELATIME, clear: true },
  strictatime: { flag: MS.STRICTATIME },
  nostrictatime: { flag: MS.STRICTATIME, clear: true },
  bind: { flag: MS.BIND },
  rbind: { flag: MS.BIND | MS.REC },
  nosymfollow: { flag: MS.NOSYMFOLLOW },
};

/** Propagation options; applied by a separate mount(2) call after the mount itself. */
export const PROPAGATION: Record<string, number> = {
  private: MS.PRIVATE,
  rprivate: MS.PRIVATE | MS.REC,
  shared: MS.SHARED,
  rshared: MS.SHARED | MS.REC,
  slave: MS.SLAVE,
  rslave: MS.SLAVE | MS.REC,
  unbindable: MS.UNBINDABLE,
  runbindable: MS.UNBINDABLE | MS.REC,
};

export const PR = {
  SET_PDEATHSIG: 1,
  SET_KEEPCAPS: 8,
  CAPBSET_READ: 23,
  CAPBSET_DROP: 24,
  SET_NO_NEW_PRIVS: 38,
  GET_NO_NEW_PRIVS: 39,
  CAP_AMBIENT: 47,
} as const;
export const PR_CAP_AMBIENT = { IS_SET: 1, RAISE: 2, LOWER: 3, CLEAR_ALL: 4 } as const;

/** Capability names as OCI and Docker write them (with the CAP_ prefix) → bit number. */
export const CAPABILITIES: Record<string, number> = {
  CAP_CHOWN: 0, CAP_DAC_OVERRIDE: 1, CAP_DAC_READ_SEARCH: 2, CAP_FOWNER: 3, CAP_FSETID: 4,
  CAP_KILL: 5, CAP_SETGID: 6, CAP_SETUID: 7, CAP_SETPCAP: 8, CAP_LINUX_IMMUTABLE: 9,
  CAP_NET_BIND_SERVICE: 10, CAP_NET_BROADCAST: 11, CAP_NET_ADMIN: 12, CAP_NET_RAW: 13,
  CAP_IPC_LOCK: 14, CAP_IPC_OWNER: 15, CAP_SYS_MODULE: 16, CAP_SYS_RAWIO: 17,
  CAP_SYS_CHROOT: 18, CAP_SYS_PTRACE: 19, CAP_SYS_PACCT: 20, CAP_SYS_ADMIN: 21,
  CAP_SYS_BOOT: 22, CAP_SYS_NICE: 23, CAP_SYS_RESOURCE: 24, CAP_SYS_TIME: 25,
  CAP_SYS_TTY_CONFIG: 26, CAP_MKNOD: 27, CAP_LEASE: 28, CAP_AUDIT_WRITE: 29,
  CAP_AUDIT_CONTROL: 30, CAP_SETFCAP: 31, CAP_MAC_OVERRIDE: 32, CAP_MAC_ADMIN: 33,
  CAP_SYSLOG: 34, CAP_WAKE_ALARM: 35, CAP_BLOCK_SUSPEND: 36, CAP_AUDIT_READ: 37,
  CAP_PERFMON: 38, CAP_BPF: 39, CAP_CHECKPOINT_RESTORE: 40,
};

/** _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set. */
export const CAPABILITY_VERSION_3 = 0x20080522;

export const RLIMITS: Record<string, number> = {
  RLIMIT_CPU: 0, RLIMIT_FSIZE: 1, RLIMIT_DATA: 2, RLIMIT_STACK: 3, RLIMIT_CORE: 4,
  RLIMIT_RSS: 5, RLIMIT_NPROC: 6, RLIMIT_NOFILE: 7, RLIMIT_MEMLOCK: 8, RLIMIT_AS: 9,
  RLIMIT_LOCKS: 10, RLIMIT_SIGPENDING: 11, RLIMIT_MSGQUEUE: 12, RLIMIT_NICE: 13,
  RLIMIT_RTPRIO: 14, RLIMIT_RTTIME: 15,
};

export const IOCTL = {
  TIOCGWINSZ: 0x5413,
  TIOCSWINSZ: 0x5414,
  TIOCSCTTY: 0x540e,
  TIOCGPTN: 0x80045430,
  SIOCGIFFLAGS: 0x8913,
  SIOCSIFFLAGS: 0x8914,
} as const;

/** struct ifreq: 16-byte name, then the union (flags is a short at offset 16); 40 bytes. */
export const IFREQ = { SIZE: 40, FLAGS_OFFSET: 16, IFF_UP: 1 } as const;

export const O = {
  RDONLY: 0,
  WRONLY: 1,
  RDWR: 2,
  CREAT: 0o100,
  NOCTTY: 0o400,
  APPEND: 0o2000,
  NONBLOCK: 0o4000,
  DIRECTORY: 0o200000,
  NOFOLLOW: 0o400000,
  CLOEXEC: 0o2000000,
  PATH: 0o10000000,
} as const;

export const F = { GETFD: 1, SETFD: 2, GETFL: 3, SETFL: 4 } as const;
export const FD_CLOEXEC = 1;
export const CLOSE_RANGE = { UNSHARE: 2, CLOEXEC: 4 } as const;

export const S_IF = { FIFO: 0o010000, CHR: 0o020000, DIR: 0o040000, BLK: 0o060000, REG: 0o100000 } as const;

/**
 * setxattr(2) flags, and the kernel's size limits (include/uapi/linux/limits.h): no value and no
 * name list is ever longer than 64 KiB, so one buffer of that size answers every call at once.
 */
export const XATTR = { CREATE: 1, REPLACE: 2, SIZE_MAX: 65536, LIST_MAX: 65536 } as const;

/** Splits llistxattr's buffer (names, each ending with a NUL byte) into names. */
export function splitXattrNames(list: Buffer): string[] {
  const names: string[] = [];
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i] !== 0) continue;
    if (i > start) names.push(list.toString('utf8', start, i));
    start = i + 1;
  }
  return names;
}

/** waitid(2) id types and options; CLD_* codes in siginfo.si_code. */
export const P_PIDFD = 3;
export const WAIT = { NOHANG: 1, EXITED: 4 } as const;
export const CLD = { EXITED: 1, KILLED: 2, DUMPED: 3 } as const;

/** Syscalls that glibc has no (thread-safe) wrapper for, or whose wrapper does too much. */
export interface SyscallNumbers {
  pivot_root: number;
  setgroups: number;
  setresuid: number;
  setresgid: number;
  capget: number;
  capset: number;
  gettid: number;
  pidfd_open: number;
  close_range: number;
}

export const SYSCALL_NUMBERS: Record<'x64' | 'arm64', SyscallNumbers> = {
  x64: { pivot_root: 155, setgroups: 116, setresuid: 117, setresgid: 119, capget: 125, capset: 126, gettid: 186, pidfd_open: 434, close_range: 436 },
  arm64: { pivot_root: 41, setgroups: 159, setresuid: 147, setresgid: 149, capget: 90, capset: 91, gettid: 178, pidfd_open: 434, close_range: 436 },
};

/** The syscall table for an architecture (process.arch); unsupported ones are named. */
export function syscallNumbers(arch: string): SyscallNumbers {
  if (arch === 'x64' || arch === 'arm64') return SYSCALL_NUMBERS[arch];
  throw new Error(`unsupported architecture for the linux layer: ${arch}`);
}

/** makedev(3) as glibc encodes it (64-bit dev_t). */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major), mi = BigInt(minor);
  return ((ma & 0xfffff000n) << 32n) | ((ma & 0xfffn) << 8n) | ((mi & 0xffffff00n) << 12n) | (mi & 0xffn);
}

/** Parses OCI mount options into mount(2) flags, propagation flags and the data string. */
export function parseMountOptions(options: readonly string[]): { flags: number; propagation: number; data: string[] } {
  let flags = 0;
  let propagation = 0;
  const data: string[] = [];
  for (const opt of options) {
    const known = MOUNT_OPTIONS[opt];
    if (known) flags = known.clear ? flags & ~known.flag : flags | known.flag;
    else if (PROPAGATION[opt] !== undefined) propagation |= PROPAGATION[opt];
    else data.push(opt);
  }
  return { flags, propagation, data };
}

/** Capability names → a 64-bit mask as [low word, high word]; unknown names are an error. */
export function capabilityMask(names: readonly string[] = []): [number, number] {
  let low = 0, high = 0;
  for (const raw of names) {
    const name = raw.toUpperCase().startsWith('CAP_') ? raw.toUpperCase() : `CAP_${raw.toUpperCase()}`;
    const bit = CAPABILITIES[name];
    if (bit === undefined) throw new Error(`unknown capability "${raw}"`);
    if (bit < 32) low = (low | (1 << bit)) >>> 0;
    else high = (high | (1 << (bit - 32))) >>> 0;
  }
  return [low, high];
}
