// A busybox rootfs for tests that need a container image without a registry: Debian's
// busybox-static binary, one symlink per applet, and an /etc with root, nobody and a uid-1000
// user. Also Docker's default runtime spec for such a rootfs, so container tests of every
// area start from the same realistic configuration.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MountSpec, RuntimeSpec } from '../../runtime/container/spec';

export const BUSYBOX = '/bin/busybox';

export interface TempRootfs { path: string; cleanup(): void }

/**
 * Builds the rootfs in `dir` (a new temp dir by default). Throws, naming the package, when
 * busybox-static is not installed.
 */
export function makeBusyboxRootfs(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-rootfs-'))): TempRootfs {
  if (!fs.existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: apt-get install busybox-static`);
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'root', 'home/user', 'tmp', 'var/tmp', 'proc', 'sys', 'dev', 'run']) {
    fs.mkdirSync(path.join(dir, d), { recursive: true });
  }
  fs.chmodSync(path.join(dir, 'tmp'), 0o1777);
  fs.copyFileSync(BUSYBOX, path.join(dir, 'bin/busybox'));
  fs.chmodSync(path.join(dir, 'bin/busybox'), 0o755);
  const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox');
  for (const a of applets) fs.symlinkSync('busybox', path.join(dir, 'bin', a));
  const files: Record<string, string> = {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
    'etc/group': 'root:x:0:\nstaff:x:50:user\nuser:x:1000:\nnogroup:x:65534:\n',
    'etc/os-release': 'NAME="Slipway test busybox"\nID=busybox\n',
  };
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  fs.chownSync(path.join(dir, 'home/user'), 1000, 1000);
  return { path: dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Docker's default capability set (moby oci/caps/defaults.go). */
export const DOCKER_DEFAULT_CAPS = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

/** Docker's default mounts (moby oci/defaults.go), /sys/fs/cgroup included. */
export const DOCKER_DEFAULT_MOUNTS: MountSpec[] = [
  { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
  { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
  { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
  { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
  { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
  { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
  { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=67108864'] },
];

export const DOCKER_MASKED_PATHS = [
  '/proc/asound', '/proc/acpi', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap',
];
export const DOCKER_READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** A spec as `docker run` would make it for `args` on `rootPath`; override anything after. */
export function dockerLikeSpec(rootPath: string, args: string[], stdio: NonNullable<RuntimeSpec['slipway']>['stdio']): RuntimeSpec {
  return {
    ociVersion: '1.2.0',
    process: {
      args,
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=slipwaytest'],
      cwd: '/',
      user: { uid: 0, gid: 0 },
      capabilities: { bounding: DOCKER_DEFAULT_CAPS, effective: DOCKER_DEFAULT_CAPS, permitted: DOCKER_DEFAULT_CAPS },
      noNewPrivileges: false,
    },
    root: { path: rootPath },
    hostname: 'slipwaytest',
    mounts: DOCKER_DEFAULT_MOUNTS.map((m) => ({ ...m, options: [...(m.options ?? [])] })),
    linux: {
      namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'cgroup' }],
      maskedPaths: [...DOCKER_MASKED_PATHS],
      readonlyPaths: [...DOCKER_READONLY_PATHS],
    },
    slipway: { stdio },
  };
}
