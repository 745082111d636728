// The contract between "what to run" and "how to run it": a subset of the OCI runtime
// specification's config.json (../shared/specs/opencontainers__runtime-spec/config.md,
// config-linux.md), plus the few things Slipway's own runtime needs that the OCI bundle
// expresses elsewhere (stdio, the overlay rootfs). Docker options are translated into this
// (runtime/container/create-options → spec), and runtime/container/start consumes it. Using
// the OCI shape keeps the benchmark against runc/crun honest: the same config drives all three.

export interface RuntimeSpec {
  ociVersion: string;
  process: ProcessSpec;
  root: { path: string; readonly?: boolean };
  hostname?: string;
  domainname?: string;
  mounts: MountSpec[];
  linux: LinuxSpec;
  /** Slipway extension: how the rootfs is assembled before `root.path` is used. */
  slipway?: SlipwaySpec;
}

export interface ProcessSpec {
  terminal?: boolean;
  consoleSize?: { height: number; width: number };
  user: { uid: number; gid: number; umask?: number; additionalGids?: number[] };
  args: string[];
  env: string[];
  cwd: string;
  capabilities?: {
    bounding?: string[];
    effective?: string[];
    inheritable?: string[];
    permitted?: string[];
    ambient?: string[];
  };
  rlimits?: Array<{ type: string; hard: number; soft: number }>;
  noNewPrivileges?: boolean;
}

export interface MountSpec {
  destination: string;
  type?: string;
  source?: string;
  options?: string[];
}

export type NamespaceType = 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup';

export interface LinuxSpec {
  /** A namespace with `path` is joined (setns); one without is created. Absent = host's. */
  namespaces: Array<{ type: NamespaceType; path?: string }>;
  uidMappings?: Array<{ containerID: number; hostID: number; size: number }>;
  gidMappings?: Array<{ containerID: number; hostID: number; size: number }>;
  /** Relative to the cgroup root of each hierarchy, e.g. "slipway/<id>". */
  cgroupsPath?: string;
  resources?: LinuxResources;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  sysctl?: Record<string, string>;
  rootfsPropagation?: 'private' | 'rprivate' | 'slave' | 'rslave' | 'shared' | 'rshared';
  devices?: Array<{ path: string; type: 'c' | 'b' | 'u' | 'p'; major: number; minor: number; fileMode?: number; uid?: number; gid?: number }>;
}

export interface LinuxResources {
  memory?: { limit?: number; swap?: number; reservation?: number };
  cpu?: { shares?: number; quota?: number; period?: number; cpus?: string; mems?: string };
  pids?: { limit: number };
}

export interface SlipwaySpec {
  /**
   * Overlay rootfs: lower dirs top-most first (image layers, then the init layer on top of
   * them, as Docker does, so /etc/hosts and friends are never part of a commit), the writable
   * upper dir and overlay's work dir. `root.path` is where it is mounted.
   */
  overlay?: { lowerDirs: string[]; upperDir: string; workDir: string };
  /**
   * Container stdio. Without a terminal, stdout and stderr are files in the container's state
   * dir that the kernel writes straight into (so output is never lost while the service is
   * down; the service follows them and keeps the timestamped log). With a terminal, the
   * service holds the PTY master and the slave becomes fds 0-2.
   */
  stdio: { stdin: 'null' | 'pipe'; stdoutFile: string; stderrFile: string } | { terminal: true };
}
