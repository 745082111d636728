// What the lifecycle manager needs from the rest of the runtime, as interfaces it is handed
// (so unit tests drive it with fakes): a starter that turns a RuntimeSpec into a running
// process (runtime/container/start), an image provider (the image store), and an event sink.
import type { Readable, Writable } from 'node:stream';
import type { Cgroups } from '../cgroups';
import type { VolumeStore } from '../volumes';
import type { ImageConfig } from './config';
import type { RuntimeSpec } from './spec';
import type { ContainerStore } from './state';

export interface ExitStatus { exitCode: number; signal?: NodeJS.Signals }

export interface StartedProcess {
  /** Host pid of the container's PID 1. */
  pid: number;
  exited: Promise<ExitStatus>;
  /** With OpenStdin and no TTY: the write end of the container's stdin. */
  stdin?: Writable;
  /** With a TTY: the PTY master. */
  terminal?: { output: Readable; input: Writable; resize(size: { rows: number; cols: number }): void; close(): void };
  kill(signal?: NodeJS.Signals | number): void;
  /** Lets the service exit while the container runs on. */
  unref?(): void;
}

export interface Starter {
  start(spec: RuntimeSpec, opts: { cgroupProcs: string[] }): Promise<StartedProcess>;
}

export interface ResolvedImage {
  /** sha256:... */
  id: string;
  config: ImageConfig;
  /** Unpacked layer directories, top-most first (the overlay's lower dirs). */
  layers: string[];
}

export interface ImageProvider {
  /** Throws NotFoundError("No such image: <ref>") when the image is not there. */
  resolve(ref: string): Promise<ResolvedImage>;
}

/** The shape runtime/service/events.ts EventBus.publish takes. */
export interface ContainerEventInput {
  Type: 'container';
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
}

/** One port proxy serving a container (runtime/container/ports). */
export interface PublishedPort { hostIp: string; hostPort: number; containerPort: number; close(): Promise<void> }

/** A bound host port not yet serving a container (runtime/container/ports reservePort). */
export interface ReservedPort extends PublishedPort {
  /** Serves `containerPort` of the container whose PID 1 is `pid`. */
  attach(pid: number): Promise<void>;
}

/** What runtime/container/ports HostPorts does for the manager (tests hand in fakes). */
export interface PortPublisher {
  /**
   * Binds the host port now (hostPort 0 = any free one), before the container's process
   * exists: Docker binds first, so a taken port fails the start before the command runs.
   * In use → ConflictError with dockerd's wording, naming `owner`.
   */
  reserve(mapping: { hostIp: string; hostPort: number; containerPort: number; proto: 'tcp' }, owner: { id: string; name: string }): Promise<ReservedPort>;
}

export interface ManagerDeps {
  store: ContainerStore;
  volumes: VolumeStore;
  cgroups: Cgroups;
  starter: Starter;
  images: ImageProvider;
  publish(event: ContainerEventInput): void;
  /**
   * Binds and serves published ports (-p) for every start, restart and re-adoption; the
   * manager records what it bound (ContainerRecord.ports). Without it -p is not served.
   */
  ports?: PortPublisher;
  host: { cpus: number; hostname: string; memory: number };
  /** /proc/<pid>/stat start time (injectable for tests). */
  startTimeOf?(pid: number): number | undefined;
  /** Sends a signal to a pid (injectable for tests); a missing process is not an error. */
  signal?(pid: number, signal: NodeJS.Signals): void;
  /** Writes /etc/hostname, /etc/hosts, /etc/resolv.conf into the init layer dir. */
  writeInitLayer?(dir: string, o: { hostname: string; domainname?: string }): void;
  /** tini-like binary for --init. */
  initBinary?: string;
  /** What --privileged / --cap-add ALL give (injectable for tests); default: this process's CapBnd. */
  boundingCapabilities?: readonly string[];
  /** How often a re-adopted container (not our child) is checked for exit. */
  adoptPollMs?: number;
  /** Problems that have no caller to report to (a failed cleanup after an exit). */
  onError?(context: string, err: unknown): void;
}
