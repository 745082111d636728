// The one cgroup interface. v1 (one hierarchy per controller) and v2 (one unified tree) sit
// behind it; `detectCgroups` (detect.ts) picks one. Every implementation takes its cgroup root
// as a parameter, so tests run against a temporary directory laid out like /sys/fs/cgroup.
import type { LinuxResources } from '../container/spec';

export type CgroupVersion = 1 | 2;

/** A value read from a cgroup: a number, or `undefined` when the kernel says "max"/no limit. */
export type Limit = number | undefined;

/** What one container's cgroup measures; the raw material of Docker's /containers/{id}/stats. */
export interface CgroupStats {
  memory: { usage: number; maxUsage?: number; limit: Limit; stats: Record<string, number> };
  cpu: {
    /** Nanoseconds of CPU time used by every process of the cgroup. */
    totalNs: number;
    userNs: number;
    systemNs: number;
    throttling: { periods: number; throttledPeriods: number; throttledTimeNs: number };
  };
  pids: { current: number; limit: Limit };
  /** Bytes per device and operation (blkio / io.stat); absent where the host has no such controller. */
  blkio?: BlkioEntry[];
}

/** One line of docker's blkio_stats.io_service_bytes_recursive. */
export interface BlkioEntry { major: number; minor: number; op: string; value: number }

/** One container's cgroup, in every hierarchy it lives in. */
export interface Cgroup {
  readonly id: string;
  /** The cgroup.procs files the start-up writes the container's pid into (one per hierarchy). */
  readonly procsFiles: string[];
  /** Writes the limits (used at create, and by `docker update` later). */
  apply(resources: LinuxResources | undefined): void;
  stats(): CgroupStats;
  /** Pids of every process in the cgroup (for `top`, and to kill leftovers). */
  pids(): number[];
  /** Freezes every process (pause) and resolves once the kernel reports the group frozen. */
  freeze(timeoutMs?: number): Promise<void>;
  thaw(): Promise<void>;
  isFrozen(): boolean;
  /** How many processes the kernel's OOM killer killed in this cgroup. */
  oomKillCount(): number;
  /** Kills what is left (SIGKILL), waits for it to go, and removes the directories. */
  remove(timeoutMs?: number): Promise<void>;
}

export interface Cgroups {
  readonly version: CgroupVersion;
  readonly root: string;
  /** Makes `slipway/<id>` (in every hierarchy) and applies the limits. */
  create(id: string, resources?: LinuxResources): Cgroup;
  /** The cgroup of an existing container (after a service restart); nothing is created. */
  open(id: string): Cgroup;
  exists(id: string): boolean;
}

/**
 * The file operations cgroups need, so that tests can run on a plain directory (where, unlike
 * cgroupfs, a directory with files in it cannot be rmdir'ed) and fake the kernel's `kill`.
 */
export interface CgroupFs {
  read(file: string): string | undefined;
  write(file: string, value: string): void;
  mkdir(dir: string): void;
  rmdir(dir: string): void;
  exists(p: string): boolean;
  kill(pid: number, signal: NodeJS.Signals): void;
}

/** Where Slipway's cgroups go under each hierarchy's root (not under the service's own cgroup). */
export const SLIPWAY_PARENT = 'slipway';

/** Reject ids that would climb out of slipway/ (they come from our own 64-hex generator). */
export function checkCgroupId(id: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id)) throw new Error(`invalid cgroup name "${id}"`);
}
