// Docker Engine API shapes that the config layer reads (the subset Slipway honours) — see
// ../shared/specs/docker-engine-api.swagger.yaml, ContainerConfig and HostConfig. Field
// names are Docker's, so the API layer can pass the request body through untouched.
import type { HealthConfig } from '../health/schedule';
import type { ApiMount } from './mounts';

/** Docker's StrSlice: the API accepts a string or an array of strings. */
export type StrSlice = string[] | string | null;

export interface DockerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, object> | null;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[] | null;
  Cmd?: StrSlice;
  Entrypoint?: StrSlice;
  Image?: string;
  Volumes?: Record<string, object> | null;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  StopTimeout?: number | null;
  Healthcheck?: HealthConfig | null;
  Shell?: string[] | null;
}

export interface PortBinding { HostIp?: string; HostPort?: string }
export interface Ulimit { Name: string; Soft: number; Hard: number }

export interface HostConfig {
  Binds?: string[] | null;
  /** `--mount` entries (bind, volume, tmpfs). */
  Mounts?: ApiMount[] | null;
  NetworkMode?: string;
  PortBindings?: Record<string, PortBinding[] | null> | null;
  RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
  AutoRemove?: boolean;
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  SecurityOpt?: string[] | null;
  Tmpfs?: Record<string, string> | null;
  ShmSize?: number;
  Init?: boolean | null;
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuQuota?: number;
  CpuPeriod?: number;
  CpuShares?: number;
  PidsLimit?: number | null;
  Ulimits?: Ulimit[] | null;
  /** `--group-add`: supplementary groups (gids or names in the image's /etc/group) on top of the user's. */
  GroupAdd?: string[] | null;
  /** [height, width] of the terminal the client runs in; the docker CLI sends it with -t. */
  ConsoleSize?: [number, number] | null;
}

/** POST /containers/create: Config with HostConfig inside (NetworkingConfig is ignored for now). */
export interface CreateRequest extends DockerConfig {
  HostConfig?: HostConfig;
}

/** The image's config (OCI image config "config" object; same field names as Docker's). */
export interface ImageConfig {
  User?: string;
  Env?: string[] | null;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  Volumes?: Record<string, object> | null;
  ExposedPorts?: Record<string, object> | null;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  Healthcheck?: HealthConfig | null;
  Shell?: string[] | null;
}

/**
 * What create stores and inspect shows: Docker's Config after merging with the image, with
 * Entrypoint/Cmd as arrays (or null), Hostname filled in; and HostConfig with defaults applied.
 */
export interface MergedConfig {
  config: Required<Pick<DockerConfig, 'Hostname' | 'Domainname' | 'User' | 'WorkingDir' | 'Image' | 'Tty' | 'OpenStdin' | 'StdinOnce' | 'AttachStdin' | 'AttachStdout' | 'AttachStderr'>> & {
    Env: string[];
    Cmd: string[] | null;
    Entrypoint: string[] | null;
    Labels: Record<string, string>;
    Volumes: Record<string, object> | null;
    ExposedPorts: Record<string, object> | null;
    StopSignal?: string;
    StopTimeout?: number;
    Healthcheck?: HealthConfig;
    /** SHELL of the image (or the request), which a CMD-SHELL health check runs through. */
    Shell?: string[];
  };
  hostConfig: HostConfig & { NetworkMode: string; Binds: string[] | null; Memory: number; MemorySwap: number };
  /** The process to run: Entrypoint + Cmd resolved (Docker's Path and Args). */
  path: string;
  args: string[];
}
