// Exec instances (POST /containers/{id}/exec, /exec/{id}/start|resize|json): Docker keeps
// an exec as an object between create and start, and after the exit for its exit code, which
// the docker CLI reads with GET /exec/{id}/json once the stream has ended. Instances live in
// memory, as in dockerd, and are dropped with their container.
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../../errors';
import { containerEnv, mergeEnv, readUserFiles, resolveUser, tweakCapabilities, type MergedConfig } from '../../container/config';
import { execInContainer, type ExecProcess } from '../../container/exec/exec';
import { ownBoundingCapabilities } from '../../container/host-capabilities';
import type { ContainerRecord, ContainerStore } from '../../container/state';
import type { Cgroups } from '../../cgroups';
import type { Syscalls } from '../../linux/syscalls';
import type { ProcessSpec } from '../../container/spec';
import type { WorkerPool } from '../../container/start/session';

/** The body of POST /containers/{id}/exec (ExecConfig in the Engine API). */
export interface ExecConfig {
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ConsoleSize?: [number, number] | null;
  DetachKeys?: string;
  Tty?: boolean;
  Env?: string[] | null;
  Cmd?: string[] | string | null;
  Privileged?: boolean;
  User?: string;
  WorkingDir?: string;
}

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
}

export interface ExecDeps {
  store: ContainerStore;
  cgroups: Cgroups;
  sys: Syscalls;
  /** The Worker pool for an exec starting now (see pool.ts). */
  pool?: () => WorkerPool | undefined;
  publish(action: string, rec: ContainerRecord, attrs: Record<string, string>): void;
  onError(context: string, err: unknown): void;
}

export class ExecRegistry {
  private readonly execs = new Map<string, ExecInstance>();

  constructor(private readonly deps: ExecDeps) {}

  create(containerRef: string, body: ExecConfig | undefined): { Id: string } {
    const rec = this.deps.store.get(containerRef);
    const cmd = typeof body?.Cmd === 'string' ? [body.Cmd] : body?.Cmd ?? [];
    if (cmd.length === 0) throw new InvalidArgumentError('No exec command specified');
    if (rec.state.status === 'paused') throw new ConflictError(`Container ${rec.id} is paused, unpause the container before exec`);
    if (rec.state.status !== 'running' || !rec.state.pid) throw new ConflictError(`container ${rec.id} is not running`);
    if (body?.User) resolveUser(body.User, undefined, undefined); // syntax only; names are resolved at start
    const id = crypto.randomBytes(32).toString('hex');
    this.execs.set(id, { id, containerId: rec.id, config: { ...body, Cmd: cmd }, running: false, exitCode: null, pid: 0 });
    this.deps.publish('exec_create', rec, { execID: id });
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
    if (rec.state.status !== 'running' || !rec.state.pid) throw new ConflictError(`container ${rec.id} is not running`);
    const tty = opts.tty ?? e.config.Tty ?? false;
    const size = opts.consoleSize ?? e.config.ConsoleSize;
    const spec = this.processSpec(rec, e.config, tty, size ?? undefined);
    e.running = true;
    let proc: ExecProcess;
    try {
      proc = await execInContainer(rec.state.pid, spec, {
        sys: this.deps.sys, stdin: opts.stdin, pool: this.deps.pool?.(),
        cgroupProcs: this.deps.cgroups.exists(rec.id) ? this.deps.cgroups.open(rec.id).procsFiles : [],
      });
    } catch (err) {
      e.running = false;
      // Docker records 126/127 for a command that cannot run, and the CLI prints the error.
      e.exitCode = /not found|no such file/i.test(String(err)) ? 127 : 126;
      throw err;
    }
    e.proc = proc;
    e.pid = proc.pid;
    this.deps.publish('exec_start', rec, { execID: id });
    e.done = proc.exited.then((status) => {
      e.exitCode = status.exitCode;
    }, (err) => {
      this.deps.onError(`exec ${id}`, err);
      e.exitCode = 126;
    }).then(() => {
      e.running = false;
      this.deps.publish('exec_die', rec, { execID: id, exitCode: String(e.exitCode) });
    });
    return e as ExecInstance & { proc: ExecProcess };
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

  /** Exec ids of a container (inspect's ExecIDs). */
  idsOf(containerId: string): string[] {
    return [...this.execs.values()].filter((e) => e.containerId === containerId).map((e) => e.id);
  }

  /** Drops a removed container's execs. */
  forget(containerId: string): void {
    for (const [id, e] of this.execs) if (e.containerId === containerId) this.execs.delete(id);
  }

  private processSpec(rec: ContainerRecord, c: ExecInstance['config'], tty: boolean, size?: [number, number]): ProcessSpec {
    const root = `/proc/${rec.state.pid}/root`;
    const files = readUserFiles([root]);
    const user = resolveUser(c.User || rec.config.User, files.passwd, files.group);
    const merged = { config: { ...rec.config, Tty: tty }, hostConfig: rec.hostConfig, path: rec.path, args: rec.args } as MergedConfig;
    const caps = tweakCapabilities(rec.hostConfig.CapAdd, rec.hostConfig.CapDrop, rec.hostConfig.Privileged === true || c.Privileged === true, ownBoundingCapabilities());
    return {
      terminal: tty,
      ...(tty && size ? { consoleSize: { height: size[0], width: size[1] } } : {}),
      user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids, umask: 0o022 },
      args: c.Cmd,
      env: mergeEnv(containerEnv(merged, user.home), c.Env ?? []),
      cwd: c.WorkingDir || rec.config.WorkingDir || '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
      noNewPrivileges: (rec.hostConfig.SecurityOpt ?? []).some((o) => o.startsWith('no-new-privileges') && !o.endsWith('false')),
    };
  }
}

/** Output streams of an exec process, for the route's framing. */
export function execOutputs(proc: ExecProcess): Array<{ stream: 'stdout' | 'stderr'; readable: Readable }> {
  if (proc.terminal) return [{ stream: 'stdout', readable: proc.terminal.output }];
  const out: Array<{ stream: 'stdout' | 'stderr'; readable: Readable }> = [];
  if (proc.stdout) out.push({ stream: 'stdout', readable: proc.stdout });
  if (proc.stderr) out.push({ stream: 'stderr', readable: proc.stderr });
  return out;
}
