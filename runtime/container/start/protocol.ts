// The container start-up protocol: every message exchanged by the three stages, in one module.
//
//  service main thread         container-worker (Worker)             init (second stage, PID 1)
//  ───────────────────         ─────────────────────────             ──────────────────────────
//  startContainer(spec)           (a pooled, pre-warmed Worker has done the first two steps
//                                  before the job arrives: then StartJob comes as a "job" message)
//    new Worker ─ StartJob ──▶ unshare(CLONE_FS), setns(joined ns),
//                              unshare(new ns)
//                              spawn(node init.js, fd 3 = channel) ─▶ node starts, loads koffi,
//                              setns(back to the host mount ns)        blocks reading fd 3
//    ◀──────── spawned{pid} ──
//    (cgroup v2 only, a StartJob
//     without cgroupTasks:)
//    write pid → cgroup.procs
//    ──────── continue ──────▶
//                              ── config{spec, stdio paths, ───────▶ v1: write "0" to each
//                                        cgroupTasks?}                cgroupTasks file (joins
//                                                                     its cgroups itself)
//                                                                     open stdio, propagation,
//                                                                     rootfs, mounts,
//                              (with stdio {console}: the container's own devpts is mounted)
//                              ◀──── devpts ──────────────────────── waits for its console
//                              open /proc/<init>/root<rootfs>/dev/pts/ptmx, unlockpt, ptsname
//    ◀──────── console{master}
//                              ── console{path: /dev/pts/N} ───────▶ open it as fds 0-2
//                                                                     /dev, masked/ro paths,
//                                                                     hostname, pivot_root, cwd,
//                                                                     rlimits, umask, stdio,
//                                                                     caps, user, no_new_privs,
//                                                                     PATH lookup, close fds
//                              ◀──── failed{step, path, code} ────── (on error, then exit 1/126/127)
//                              ◀──── exec ────────────────────────── about to execve
//                              ◀──── EOF (fd 3 is close-on-exec) ─── execve(user command)
//    ◀──────── started ────────
//    ◀──────── exited{code} ─── child 'exit'
//    (a pre-warmed Worker: setns back to its own uts/ipc/net/pid, then)
//    ◀──────── idle ─────────── (the pool ends it, or:)
//    ──────── prewarm ────────▶ unshare(new ns), spawn the next init, wait for a "job"
//
//  execInContainer(pid, process)  (no second stage; DESIGN.md fact 5 — except with a terminal:
//  then the worker joins all but mnt, spawns the init, and the init takes the "start" ladder
//  above with exec-config{process, stdio, mntNs} instead of config)
//    new Worker ─ ExecJob ───▶ open /proc/PID/ns/*, unshare(CLONE_FS), setns each (mnt last),
//                              drop bounding caps, setres[gu]id, capset, no_new_privs, PATH
//                              lookup in the container, spawn(command)
//                              (v1, ExecJob.cgroupTasks: join the container's cgroups, spawn,
//                              go back — the command is born in them)
//    ◀──────── spawned{pid} ── (otherwise main writes the pid into the container's cgroup.procs)
//    ◀──────── exited{code} ──
//
//  reservePort(…) → attach(pid): bound before the container starts (as dockerd binds its
//  ports before the process runs); every accepted connection is piped to 127.0.0.1:ctrPort,
//  connected from inside the container's network namespace:
//    new Worker ─ PublishJob ▶ listen(hostIp:hostPort) in the host netns; connections wait
//    ◀──────── listening ─────
//    ──────── join{pid} ─────▶ setns(net of pid)
//    ◀──────── joined ──────── waiting connections go on to 127.0.0.1:ctrPort
//    ──────── close ─────────▶
//
// Main ↔ Worker messages travel by postMessage (structured clone). Worker ↔ init messages are
// newline-delimited JSON on the init's fd 3; a successful execve closes it (EOF = started).
//
// Why a cgroup v1 init joins its cgroups itself: the service writing a pid into cgroup.procs
// takes the kernel's cgroup_threadgroup_rwsem for writing, which waits out an RCU grace period
// when no other migration happened just before: 10-25 ms measured here, on every run. A
// thread moving itself (writing "0" to v1's `tasks`) skips that lock (Linux >= 6.2, "cgroup:
// Optimize single thread migration"; older kernels take the lock as for a pid, no slower than
// before); it moves only the init's main thread, which is the one that execve()s — the others
// end with the exec — and memory is charged to the main thread's cgroup (the mm's owner). v2
// has no such file for a domain cgroup (cgroup.threads only moves threads within a threaded
// subtree), so there the service writes the pid and the worker waits for "continue".
import { SlipwayError } from '../../errors';
import type { NamespaceType, ProcessSpec, RuntimeSpec } from '../spec';

/** Stdio of the process to start, as fd numbers opened by the main thread (process-wide). */
export interface StdioFds { stdin: number | 'ignore'; stdout: number | 'ignore'; stderr: number | 'ignore' }

/**
 * The init's stdio, as host paths it opens itself before pivot_root: the PTY slave, or the
 * log files and an optional stdin (a pipe reached through /proc/<service pid>/fd/<n>). Paths
 * rather than inherited fds let a pre-started init (see WorkerPool) serve any container.
 */
export type InitStdio = { terminal: string } | { console: true } | { stdin: string | null; stdout: string; stderr: string };

export interface StartJob {
  kind: 'start';
  spec: RuntimeSpec;
  stdio: InitStdio;
  nodePath: string;
  initPath: string;
  /**
   * cgroup v1 `tasks` files the init joins itself (see above). Present: the service has
   * nothing to do between "spawned" and the config, so the worker sends it without waiting
   * for "continue". Absent: the service writes the pid (v2) and then posts "continue".
   */
  cgroupTasks?: string[];
}

export interface ExecJob {
  kind: 'exec';
  pid: number;
  process: ProcessSpec;
  stdio: StdioFds;
  /**
   * Run through the init instead of a direct spawn (exec -t): only a process of its own can
   * make the PTY its controlling terminal (setsid + TIOCSCTTY), and it waits for "continue",
   * so it is in the container's cgroups before the command runs.
   */
  viaInit?: { nodePath: string; initPath: string; stdio: InitStdio };
  /**
   * cgroup v1 without viaInit: the worker thread joins the container's cgroups itself (writes
   * "0" to each `join` tasks file: no RCU wait, see above), spawns the command there, and goes
   * back (`back`: its own cgroups' tasks files) — so the command is born in its cgroups and the
   * service writes no pid.
   */
  cgroupTasks?: { join: string[]; back: string[] };
}

export interface PublishJob {
  kind: 'publish';
  /** 0: listen only, and join the namespace of the pid a later "join" message names. */
  pid: number;
  hostIp: string;
  hostPort: number;
  containerPort: number;
}

export type WorkerJob = StartJob | ExecJob | PublishJob;

/**
 * workerData of a pooled Worker: it loads everything, then waits for a "job" message. With
 * `prewarm` it also unshares those namespaces and spawns an init at once, so a matching start
 * job pays neither the Worker's nor the init's Node start-up (DESIGN.md fact 11).
 */
export interface PooledWorker {
  pooled: true;
  prewarm?: { namespaces: NamespaceType[]; nodePath: string; initPath: string };
}

/** The init's config for a start job. */
export function startConfig(job: StartJob, trace = false): Extract<InitConfig, { type: 'config' }> {
  return { type: 'config', spec: job.spec, stdio: job.stdio, ...(job.cgroupTasks ? { cgroupTasks: job.cgroupTasks } : {}), ...(trace ? { trace } : {}) };
}

/**
 * The v1 `tasks` file beside each cgroup.procs file, when every one has one (cgroup v1);
 * undefined otherwise (v2: the service writes the pid into cgroup.procs).
 */
export function selfJoinFiles(procsFiles: readonly string[], exists: (file: string) => boolean): string[] | undefined {
  const tasks = procsFiles.map((f) => `${f.slice(0, f.lastIndexOf('/') + 1)}tasks`);
  return procsFiles.every((f) => f.endsWith('/cgroup.procs')) && tasks.every(exists) ? tasks : undefined;
}

/** The namespace set a start job needs, as the key a pre-warmed worker must match. */
export function prewarmKey(spec: RuntimeSpec): string | undefined {
  const spaces = spec.linux.namespaces;
  // Joined namespaces (container:<id>, a path) and the user namespace are never pre-made; the
  // cgroup namespace is made by the init itself after the cgroup move, so it does not count.
  if (spaces.some((n) => n.path || n.type === 'user')) return undefined;
  return namespaceKey(spaces.map((n) => n.type));
}

export function namespaceKey(types: readonly NamespaceType[]): string {
  return [...new Set(types.filter((t) => t !== 'cgroup'))].sort().join(',');
}

/** A setup failure as it crosses thread and process boundaries. */
export interface FailureReport {
  step: string;
  path?: string;
  /** errno name when a syscall failed ("EPERM"). */
  code?: string;
  message: string;
  /** The exit code the init exits with (127: command not found, 126: not executable). */
  exitCode: number;
}

export type WorkerEvent =
  | { type: 'spawned'; pid: number }
  | { type: 'started' }
  /** The PTY master, opened on the container's own devpts (fds are process-wide). */
  | { type: 'console'; master: number; path: string }
  | { type: 'listening'; port: number }
  | { type: 'joined' }
  | { type: 'failed'; failure: FailureReport }
  | { type: 'exited'; exitCode: number | null; signal: string | null }
  /** A pre-warmed Worker after its container's exit, back in its own namespaces: reusable. */
  | { type: 'idle' };

export type MainMessage = { type: 'job'; job: WorkerJob } | { type: 'continue' } | { type: 'join'; pid: number } | { type: 'close' }
  /** Answer to "idle": pre-warm again and wait for a job (otherwise the Worker is ended). */
  | { type: 'prewarm' };

/** Worker → init. Sent once the init's pid is in its cgroups: "set up and exec". */
export type InitConfig =
  /** `trace`: the service traces (SLIPWAY_TRACE=1): time the set-up steps, report them with "exec". */
  | { type: 'config'; spec: RuntimeSpec; stdio: InitStdio; cgroupTasks?: string[]; trace?: boolean }
  /** exec through the init: it joins the mount namespace itself (`mntNs`), then sets up `process`. */
  | { type: 'exec-config'; process: ProcessSpec; stdio: InitStdio; mntNs: string }
  /** Answer to "devpts": the console's path inside the container (a slave of its devpts). */
  | { type: 'console'; path: string };

/**
 * Init → worker. "exec" just before execve; then either "failed" (execve itself failed) or the
 * channel's EOF, which a successful execve causes by closing the close-on-exec fd 3.
 */
export type InitReport = { type: 'exec'; marks?: InitMark[] } | { type: 'devpts' } | { type: 'failed'; failure: FailureReport };

/** A set-up step's end, on the trace clock (runtime/common/trace.ts), when the config asked for it. */
export type InitMark = [label: string, ms: number];

/** A message arrived that the protocol does not allow at this step. */
export class ProtocolError extends SlipwayError {
  constructor(from: string, got: unknown, expected: readonly string[]) {
    const type = typeof got === 'object' && got !== null ? (got as { type?: unknown }).type : undefined;
    super(`unexpected message ${JSON.stringify(type ?? got)} from ${from}; expected ${expected.length ? expected.join(' or ') : 'no message at this step'}`);
  }
}

/** Checks a received message's type against the ones allowed at this step. */
export function expectMessage<M extends { type: string }, T extends M['type']>(
  from: string, msg: unknown, expected: readonly T[],
): Extract<M, { type: T }> {
  const type = typeof msg === 'object' && msg !== null ? (msg as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !(expected as readonly string[]).includes(type)) throw new ProtocolError(from, msg, expected);
  return msg as Extract<M, { type: T }>;
}

/** A container could not be started or joined; `step` and `path` locate the failure. */
export class ContainerSetupError extends SlipwayError {
  readonly step: string;
  readonly path?: string;
  readonly code?: string;
  readonly exitCode: number;
  constructor(report: FailureReport) {
    super(report.message, { status: report.exitCode === 127 || report.exitCode === 126 ? 400 : 500 });
    this.step = report.step;
    this.path = report.path;
    this.code = report.code;
    this.exitCode = report.exitCode;
  }
}

/** Splits newline-delimited JSON out of a byte stream, keeping a partial tail between chunks. */
export class LineDecoder {
  private tail = '';
  push(chunk: string): unknown[] {
    const text = this.tail + chunk;
    const lines = text.split('\n');
    this.tail = lines.pop() ?? '';
    return lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
  }
  get pending(): string { return this.tail; }
}

export function encodeLine(msg: InitConfig | InitReport): string {
  return `${JSON.stringify(msg)}\n`;
}
