// Exec instances (POST /containers/{id}/exec, /exec/{id}/start|resize|json): Docker keeps
// an exec as an object between create and start, and after the exit for its exit code, which
// the docker CLI reads with GET /exec/{id}/json once the stream has ended. Instances live in
// memory, as in dockerd, and are dropped with their container or a while after their exit.
//
// Health probes are execs too, as in dockerd (daemon/health.go registers each probe as an
// exec): `probe()` creates and starts one with the container's user and working directory, so
// `GET /events` shows `exec_create: <cmd>`, `exec_start: <cmd>` and `exec_die` for every probe.
// The process spec comes from the config layer's one builder (buildExecProcess).
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { ConflictError, NotFoundError, SlipwayError } from '../../errors';
import { buildExecProcess, checkExecRequest, readUserFiles, resolveUser, type ExecRequest, type ResolvedUser } from '../../container/config';
import { execInContainer, type ExecProcess } from '../../container/exec/exec';
import { ContainerSetupError } from '../../container/start/protocol';
import { ownBoundingCapabilities } from '../../container/host-capabilities';
import { startFailureExitCode } from '../../container/manager-helpers';
import type { ContainerRecord, ContainerStore } from '../../container/state';
import type { Cgroups } from '../../cgroups';
import type { Syscalls } from '../../linux/syscalls';
import type { ProcessSpec } from '../../container/spec';
import type { WorkerPool } from '../../container/start/session';

/** The body of POST /containers/{id}/exec (ExecConfig in the Engine API). */
export type ExecConfig = ExecRequest;

export interface ExecInstance {
  id: string;
  containerId: string;
  config: ExecConfig & { Cmd: string[] };
  running: boolean;
  exitCode: number | null;
  pid: number;
  proc?: ExecProcess;
  /** Resolves when the process has exited and its exit code is recorded. */
  done?: Promise<void>;
  /** When it ended (ms), for dropping old instances. */
  endedAt?: number;
}

export interface ExecDeps {
  store: Pick<ContainerStore, 'get'>;
  cgroups: Cgroups;
  sys: Syscalls;
  /** The Worker pool for an exec starting now (see pool.ts). */
  pool?: () => WorkerPool | undefined;
  publish(action: string, rec: ContainerRecord, attrs: Record<string, string>): void;
  onError(context: string, err: unknown): void;
  /** The container's /etc/passwd and /etc/group (default: read through /proc/<pid>/root). */
  userFiles?(rec: ContainerRecord): { passwd?: string; group?: string };
  /** What "all capabilities" means for --privileged (default: the service's bounding set). */
  boundingCapabilities?(): readonly string[];
  /** Starts the process (default: execInContainer); tests inject their own. */
  run?(rec: ContainerRecord, spec: ProcessSpec, stdin: boolean): Promise<ExecProcess>;
  now?(): number;
}

/**
 * dockerd drops an ended exec from its store 5-10 minutes later (execCommandGC); a probe every
 * second would otherwise keep thousands. Ended ones are kept that long, and at most this many.
 */
export const ENDED_EXEC_TTL_MS = 5 * 60_000;
export const MAX_ENDED_EXECS = 256;

/** Docker's action of an exec event: "exec_start: <entrypoint> <args…>" (the space even without args). */
export function execAction(action: 'exec_create' | 'exec_start', cmd: readonly string[]): string {
  return `${action}: ${cmd[0]} ${cmd.slice(1).join(' ')}`;
}

export class ExecRegistry {
  private readonly execs = new Map<string, ExecInstance>();
  private readonly now: () => number;

  constructor(private readonly deps: ExecDeps) {
    this.now = deps.now ?? Date.now;
  }

  create(containerRef: string, body: ExecConfig | undefined): { Id: string } {
    const rec = this.deps.store.get(containerRef);
    const cmd = checkExecRequest(body ?? {});
    this.running(rec);
    // As dockerd: the user is looked up at create, so a wrong one fails before any process.
    if (body?.User) this.user(rec, body.User);
    this.prune();
    const id = crypto.randomBytes(32).toString('hex');
    this.execs.set(id, { id, containerId: rec.id, config: { ...body, Cmd: cmd }, running: false, exitCode: null, pid: 0 });
    this.publish(execAction('exec_create', cmd), rec, { execID: id });
    return { Id: id };
  }

  get(id: string): ExecInstance {
    const e = this.execs.get(id);
    if (!e) throw new NotFoundError(`No such exec instance: ${id}`);
    return e;
  }

  /** Starts the process; the caller wires its stdio. `tty`/`consoleSize` may override create's. */
  async start(id: string, opts: { tty?: boolean; consoleSize?: [number, number] | null; stdin: boolean }): Promise<ExecInstance & { proc: ExecProcess }> {
    const e = this.get(id);
    if (e.running || e.exitCode !== null || e.proc) throw new ConflictError(`Error: Exec command ${id} has already run`);
    const rec = this.deps.store.get(e.containerId);
    this.running(rec);
    const req: ExecRequest = { ...e.config, Tty: opts.tty ?? e.config.Tty ?? false, ConsoleSize: opts.consoleSize ?? e.config.ConsoleSize };
    const spec = buildExecProcess(rec, req, this.user(rec, e.config.User || rec.config.User), this.bounding());
    e.running = true;
    // dockerd announces the start before it tries; a start that fails has no exec_die.
    this.publish(execAction('exec_start', e.config.Cmd), rec, { execID: id });
    let proc: ExecProcess;
    try {
      proc = await (this.deps.run ? this.deps.run(rec, spec, opts.stdin) : this.spawn(rec, spec, opts.stdin));
    } catch (err) {
      e.running = false;
      e.endedAt = this.now();
      const cwd = workdirFailure(err, spec.cwd);
      // 127 not found, 126 not executable or no working directory, as the start-up reports it (and Docker records it).
      e.exitCode = cwd ? 126 : startFailureExitCode(err);
      throw cwd ?? err;
    }
    e.proc = proc;
    e.pid = proc.pid;
    e.done = proc.exited.then((status) => {
      e.exitCode = status.exitCode;
    }, (err) => {
      this.deps.onError(`exec ${id}`, err);
      e.exitCode = 126;
    }).then(() => {
      e.running = false;
      e.endedAt = this.now();
      this.publish('exec_die', rec, { execID: id, exitCode: String(e.exitCode) });
    });
    return e as ExecInstance & { proc: ExecProcess };
  }

  /**
   * A health probe (daemon/health.go cmdProbe): an exec of `argv` with the container's user,
   * working directory and environment, no TTY, not privileged, stdout and stderr attached.
   */
  async probe(containerRef: string, argv: string[]): Promise<ExecProcess> {
    const { Id } = this.create(containerRef, { Cmd: argv, AttachStdout: true, AttachStderr: true, Tty: false, Privileged: false });
    return (await this.start(Id, { stdin: false })).proc;
  }

  resize(id: string, size: { rows: number; cols: number }): void {
    const e = this.get(id);
    if (!e.proc?.terminal) throw new ConflictError(`exec ${id} has no terminal to resize`);
    e.proc.terminal.resize(size);
  }

  /** GET /exec/{id}/json. */
  inspect(id: string) {
    const e = this.get(id);
    return {
      ID: e.id, Running: e.running, ExitCode: e.exitCode, ContainerID: e.containerId, Pid: e.pid,
      OpenStdin: e.config.AttachStdin ?? false, OpenStdout: e.config.AttachStdout ?? false, OpenStderr: e.config.AttachStderr ?? false,
      CanRemove: false, DetachKeys: e.config.DetachKeys ?? '',
      ProcessConfig: { tty: e.config.Tty ?? false, entrypoint: e.config.Cmd[0], arguments: e.config.Cmd.slice(1), privileged: e.config.Privileged ?? false, user: e.config.User ?? '' },
    };
  }

  /** Exec ids of a container that have not ended (inspect's ExecIDs, as dockerd's container.ExecCommands). */
  idsOf(containerId: string): string[] {
    return [...this.execs.values()].filter((e) => e.containerId === containerId && e.endedAt === undefined).map((e) => e.id);
  }

  /** Drops a removed container's execs. */
  forget(containerId: string): void {
    for (const [id, e] of this.execs) if (e.containerId === containerId) this.execs.delete(id);
  }

  /** Ended execs older than the TTL, then the oldest beyond MAX_ENDED_EXECS. */
  private prune(): void {
    const ended = [...this.execs.values()].filter((e) => e.endedAt !== undefined).sort((a, b) => a.endedAt! - b.endedAt!);
    const cutoff = this.now() - ENDED_EXEC_TTL_MS;
    ended.forEach((e, i) => {
      if (e.endedAt! < cutoff || i < ended.length - MAX_ENDED_EXECS) this.execs.delete(e.id);
    });
  }

  /** Docker's 409s for an exec into a container that cannot take one. */
  private running(rec: ContainerRecord): void {
    if (rec.state.status === 'paused') throw new ConflictError(`Container ${rec.id} is paused, unpause the container before exec`);
    if (rec.state.status === 'restarting') throw new ConflictError(`Container ${rec.id} is restarting, wait until the container is running`);
    if (rec.state.status !== 'running' || !rec.state.pid) throw new ConflictError(`Container ${rec.id} is not running`);
  }

  /** The user resolved in the container's own passwd/group, read through its PID 1's root. */
  private user(rec: ContainerRecord, spec: string): ResolvedUser {
    const files = this.deps.userFiles ? this.deps.userFiles(rec) : readUserFiles([`/proc/${rec.state.pid}/root`]);
    return resolveUser(spec, files.passwd, files.group);
  }

  private bounding(): readonly string[] {
    return this.deps.boundingCapabilities ? this.deps.boundingCapabilities() : ownBoundingCapabilities();
  }

  private spawn(rec: ContainerRecord, spec: ProcessSpec, stdin: boolean): Promise<ExecProcess> {
    return execInContainer(rec.state.pid, spec, {
      sys: this.deps.sys, stdin, pool: this.deps.pool?.(),
      cgroupProcs: this.deps.cgroups.exists(rec.id) ? this.deps.cgroups.open(rec.id).procsFiles : [],
    });
  }

  /** dockerd's LogContainerEventWithAttributes: the container's labels, then the event's own. */
  private publish(action: string, rec: ContainerRecord, attrs: Record<string, string>): void {
    this.deps.publish(action, rec, { ...(rec.config.Labels ?? {}), ...attrs });
  }
}

/**
 * An exec whose working directory is missing or not a directory: runc's wording as dockerd
 * passes it on ("OCI runtime exec failed: … chdir to cwd … failed"), a 126 exit as Docker
 * records it. Undefined for any other failure.
 */
export function workdirFailure(err: unknown, cwd: string): SlipwayError | undefined {
  if (!(err instanceof ContainerSetupError) || !/working directory$/.test(err.step)) return undefined;
  const why = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : 'not a directory';
  return new SlipwayError(`OCI runtime exec failed: exec failed: unable to start container process: chdir to cwd (${JSON.stringify(cwd)}) set in config.json failed: ${why}: unknown`, { status: 400 });
}

/** Output streams of an exec process, for the route's framing. */
export function execOutputs(proc: ExecProcess): Array<{ stream: 'stdout' | 'stderr'; readable: Readable }> {
  if (proc.terminal) return [{ stream: 'stdout', readable: proc.terminal.output }];
  const out: Array<{ stream: 'stdout' | 'stderr'; readable: Readable }> = [];
  if (proc.stdout) out.push({ stream: 'stdout', readable: proc.stdout });
  if (proc.stderr) out.push({ stream: 'stderr', readable: proc.stderr });
  return out;
}
