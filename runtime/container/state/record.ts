// The container record kept on disk under <state>/containers/<id>/config.v2.json — what
// Docker keeps in its own config.v2.json: the merged Config and HostConfig, the mounts and
// ports as made, and the runtime state (pid and its start time, status, exit code, OOM).
import type { DockerMountPoint, MergedConfig, PortMapping } from '../config';
import type { HealthState } from '../health/schedule';

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export const CONTAINER_STATUSES: readonly ContainerStatus[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

/** Go's zero time, which Docker prints for "never". */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface ContainerState {
  status: ContainerStatus;
  /** 0 when not running. */
  pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot): tells our process from a reused pid. */
  pidStartTime?: number;
  exitCode: number;
  error: string;
  oomKilled: boolean;
  startedAt: string;
  finishedAt: string;
  /** State.Health: present once a container with a HEALTHCHECK has started (health/monitor.ts). */
  health?: HealthState;
}

export interface ContainerRecord {
  /** Format version of this file, for migrations. */
  version: 1;
  id: string;
  /** Without Docker's leading "/". */
  name: string;
  created: string;
  /** The image reference as the user gave it, and the resolved image id (sha256:...). */
  image: string;
  imageId: string;
  config: MergedConfig['config'];
  hostConfig: MergedConfig['hostConfig'];
  path: string;
  args: string[];
  state: ContainerState;
  mounts: DockerMountPoint[];
  /** Port bindings actually made (host ports chosen), for inspect and ps. */
  ports: PortMapping[];
  restartCount: number;
  /** Overlay directories, for inspect's GraphDriver and for removal. */
  rootfs?: { lowerDirs: string[]; upperDir: string; workDir: string; mergedDir: string };
  /** The json-file-like log (see runtime/container/logs). */
  logPath: string;
}

export function newState(): ContainerState {
  return { status: 'created', pid: 0, exitCode: 0, error: '', oomKilled: false, startedAt: ZERO_TIME, finishedAt: ZERO_TIME };
}
