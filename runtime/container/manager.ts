// The container lifecycle: create, start, stop, kill, wait, restart, pause/unpause, rm, top,
// stats, and re-adoption after a service restart. It ties the pure config layer, the state
// store, cgroups, volumes and logs to an injected Starter (the real one is
// runtime/container/start), and publishes a Docker event for every state change.
//
// Every multi-step operation registers undo steps (Rollback), so a failure leaves nothing
// half-made. Exits are observed through the starter's `exited` promise for containers this
// service started, and by polling the pid (with its start time) for re-adopted ones.
//
// This file keeps start, exit recording and the user's operations; its seams live beside it:
// manager-create.ts (create), manager-restart.ts (restart-policy timers), manager-waiters.ts
// (wait conditions), manager-adopt.ts (re-adoption and detach), manager-live.ts (the in-memory
// record of a running container), manager-helpers.ts (small pure pieces), manager-types.ts (deps).
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { parseNetDev, toDockerStats, type DockerStats } from '../cgroups';
import { systemCpuNs } from '../cgroups/docker-stats';
import { ConflictError, describe, SlipwayError, statusOf } from '../errors';
import {
  buildExecProcess, buildRuntimeSpec, parseNetworkMode, parseSignal, readUserFiles, resolveUser, toResources,
  type CreateRequest, type ExecRequest, type PortMapping,
} from './config';
import { ownBoundingCapabilities } from './host-capabilities';
import { outputEnded } from './pty/pty';
import { ANONYMOUS_LABEL } from '../volumes/store';
import { TtyLogWriter, type LogFollower } from './logs';
import { adoptAll, detachAll } from './manager-adopt';
import { createContainer } from './manager-create';
import { attachAll, containerPaths, EMPTY_STATS, linkedLowerDirs, publishedMappings, recordedPorts, reserveAll, shouldRestart, startFailureExitCode, toResolved } from './manager-helpers';
import { logFollower, type Live, type OutputStream } from './manager-live';
import { RestartScheduler } from './manager-restart';
import type { ContainerEventInput, ExitStatus, ManagerDeps, PublishedPort, StartedProcess } from './manager-types';
import { Waiters, type WaitCondition } from './manager-waiters';
import type { ProcessSpec } from './spec';
import { Rollback } from './rollback';
import { newState, OOM_EXIT_CODE, readPidStartTime, UNKNOWN_EXIT_CODE, type ContainerRecord } from './state';
import { top as runTop, type TopResult } from './top';
import { trace } from '../common/trace';

export type { WaitCondition } from './manager-waiters';
export type { OutputStream } from './manager-live';

const DEFAULT_STOP_TIMEOUT = 10;
/** How long an exited TTY container's last output may take to be read off its PTY master. */
const TTY_DRAIN_MS = 1000;
/** dockerd waits this long for a SIGKILLed container's exit before it answers kill. */
const KILL_WAIT_MS = 10_000;
const notModified = (message: string) => new SlipwayError(message, { status: 304 });

export class ContainerManager {
  private readonly live = new Map<string, Live>();
  /** Work that keeps a container from starting (whileStopped), by id. */
  private readonly holds = new Map<string, Promise<void>>();
  private readonly waiters = new Waiters();
  private readonly restarts: RestartScheduler;
  private readonly previousStats = new Map<string, Parameters<typeof toDockerStats>[1]>();
  private readonly startTimeOf: (pid: number) => number | undefined;
  private readonly signalPid: (pid: number, signal: NodeJS.Signals) => void;

  constructor(private readonly deps: ManagerDeps) {
    this.startTimeOf = deps.startTimeOf ?? ((pid) => readPidStartTime(pid));
    this.signalPid = deps.signal ?? ((pid, sig) => {
      try {
        process.kill(pid, sig);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
    });
    this.restarts = new RestartScheduler(deps.store, (id) => this.startContainer(id, true), (context, err) => this.report(context, err));
  }

  private publish(rec: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
    const event: ContainerEventInput = { Type: 'container', Action: action, Actor: { ID: rec.id, Attributes: { ...(rec.config.Labels ?? {}), image: rec.image, name: rec.name, ...extra } } };
    this.deps.publish(event);
  }

  private report(context: string, err: unknown): void {
    this.deps.onError?.(context, err);
  }

  /** "All capabilities" for --privileged / --cap-add ALL: the service's own bounding set. */
  private bounding(): readonly string[] {
    return this.deps.boundingCapabilities ?? ownBoundingCapabilities();
  }

  private paths(id: string) {
    return containerPaths(this.deps.store.containerDir(id), id);
  }

  /** Volume names a record mounts (for the volume store's in-use check). */
  static volumesOf(rec: ContainerRecord): string[] {
    return rec.mounts.filter((m) => m.Type === 'volume' && m.Name).map((m) => m.Name!);
  }

  // ---- create ----------------------------------------------------------------------------

  async create(body: CreateRequest, opts: { name?: string } = {}): Promise<{ Id: string; Warnings: string[] }> {
    const rec = await createContainer({ deps: this.deps, paths: (id) => this.paths(id), report: (c, e) => this.report(c, e) }, body, opts);
    this.publish(rec, 'create');
    return { Id: rec.id, Warnings: [] };
  }

  // ---- start -----------------------------------------------------------------------------

  async start(ref: string): Promise<void> {
    return this.startContainer(ref, false);
  }

  /**
   * Runs `work` while no start of the container can begin, and after any start under way: a
   * `docker cp` into a stopped container mounts its upper dir, which a start would mount too.
   */
  async whileStopped<T>(ref: string, work: () => Promise<T>): Promise<T> {
    const id = this.deps.store.get(ref).id;
    const p = (this.holds.get(id) ?? Promise.resolve()).then(work, work);
    const settled = p.then(() => undefined, () => undefined);
    this.holds.set(id, settled);
    void settled.then(() => { if (this.holds.get(id) === settled) this.holds.delete(id); });
    return p;
  }

  private async startContainer(ref: string, byRestartPolicy: boolean): Promise<void> {
    const { store, cgroups } = this.deps;
    const held = this.holds.get(store.get(ref).id);
    if (held) await held;
    const rec = store.get(ref);
    const st = rec.state.status;
    if (st === 'running' || (st === 'restarting' && !byRestartPolicy)) throw notModified('container already started');
    if (st === 'paused') throw new ConflictError('cannot start a paused container, try unpause instead');
    if (st === 'removing' || st === 'dead') throw new ConflictError(`container ${rec.id} is marked for removal and cannot be started`);
    const p = this.paths(rec.id);
    const lower = rec.rootfs?.lowerDirs ?? [];
    const userFiles = readUserFiles([p.upper, ...lower]);
    const user = resolveUser(rec.config.User, userFiles.passwd, userFiles.group);
    const net = parseNetworkMode(rec.hostConfig.NetworkMode);
    let netns: string | undefined;
    if (net.kind === 'container') {
      const other = store.get(net.ref);
      if (other.state.status !== 'running' || !other.state.pid) throw new ConflictError(`cannot join network of a non running container: ${other.id}`);
      netns = `/proc/${other.state.pid}/ns/net`;
    }
    const tty = rec.config.Tty;
    const spec = buildRuntimeSpec({
      id: rec.id, merged: { config: rec.config, hostConfig: rec.hostConfig, path: rec.path, args: rec.args },
      rootPath: p.merged, overlay: rec.rootfs ? { lowerDirs: linkedLowerDirs(lower, fs.existsSync), upperDir: p.upper, workDir: p.work } : undefined,
      user, mounts: rec.mounts.map(toResolved), stdio: tty ? { terminal: true } : { stdin: rec.config.OpenStdin ? 'pipe' : 'null', stdoutFile: p.stdout, stderrFile: p.stderr },
      cgroupsPath: `slipway/${rec.id}`, networkNamespacePath: netns, cgroupNamespace: cgroups.version === 2, initBinary: this.deps.initBinary,
      boundingCapabilities: this.bounding(), initLayerDir: rec.rootfs ? p.init : undefined,
    });

    const undo = new Rollback();
    try {
      // Host ports first, as dockerd: a taken one fails the start before anything else is made.
      // Every start comes here (start, restart, the restart policy), so every one binds first.
      let reserved;
      try {
        reserved = await reserveAll(this.deps.ports, publishedMappings(rec.hostConfig), undo, { id: rec.id, name: rec.name });
      } catch (err) {
        await store.update(rec.id, (r) => { r.state = { ...r.state, error: describe(err) }; });
        throw err;
      }
      if (cgroups.exists(rec.id)) await cgroups.open(rec.id).remove();
      const cgroup = cgroups.create(rec.id, toResources(rec.hostConfig));
      trace('start: ports reserved, cgroup made');
      undo.add('cgroup', () => cgroup.remove());
      const output: OutputStream = new EventEmitter();
      // Started once the start event is out (below), not before the process: attach subscribes
      // to `output` at that event, and a follower watching already would hand it a fast
      // container's first lines before anyone listens. It reads the files from its saved
      // offsets, so nothing written meanwhile is missed.
      const follower: LogFollower | undefined = tty ? undefined : logFollower(p, output, (err) => this.report(`logs of ${rec.id}`, err));
      let proc: StartedProcess;
      try {
        proc = await this.deps.starter.start(spec, { cgroupProcs: cgroup.procsFiles });
      } catch (err) {
        // Docker keeps the container "created" with the exit code of a failed exec (127 not found, 126 not executable).
        await store.update(rec.id, (r) => { r.state = { ...r.state, exitCode: startFailureExitCode(err), error: describe(err) }; });
        throw err;
      }
      trace('start: process started');
      undo.add('container process', async () => { proc.kill('SIGKILL'); await proc.exited.catch(() => undefined); });
      const ports = await attachAll(reserved, proc.pid, () => fs.existsSync(`/proc/${proc.pid}/ns/net`));
      const ttyLog = tty ? new TtyLogWriter(p.log) : undefined;
      // EIO once the container's last slave fd is closed: the end of its output, not a fault.
      proc.terminal?.output.on('error', () => undefined);
      proc.terminal?.output.on('data', (chunk: Buffer) => {
        output.emit('data', 'stdout', chunk);
        ttyLog?.write(chunk).catch((err) => this.report(`tty log of ${rec.id}`, err));
      });
      const live: Live = { proc, cgroup, follower, tty: ttyLog, output, ports, finished: Promise.resolve() };
      this.live.set(rec.id, live);
      undo.commit();
      const started = await store.update(rec.id, (r) => {
        r.state = { ...newState(), status: 'running', pid: proc.pid, pidStartTime: this.startTimeOf(proc.pid), startedAt: new Date().toISOString() };
        r.ports = recordedPorts(ports);
      });
      trace('start: record stored');
      live.finished = proc.exited.then(
        (status) => this.finish(rec.id, status),
        (err) => { this.report(`waiting for ${rec.id}`, err); return this.finish(rec.id, undefined); },
      );
      this.publish(started, 'start');
      await follower?.start().catch((err) => this.report(`logs of ${rec.id}`, err));
      trace('start: log follower started');
    } catch (err) {
      for (const f of await undo.run()) this.report(`undo ${f.what}`, f.err);
      throw err;
    }
  }

  /** Records an exit: OOM check, last logs, cgroup removal, state, events, waiters, --rm. */
  private async finish(id: string, status: ExitStatus | undefined): Promise<void> {
    const live = this.live.get(id);
    trace('finish: exit seen');
    if (!live) return;
    if (live.poll) clearInterval(live.poll);
    let oom = false;
    try {
      oom = live.cgroup.oomKillCount() > 0;
    } catch (err) {
      this.report(`oom count of ${id}`, err);
    }
    await live.follower?.stop().catch((err) => this.report(`logs of ${id}`, err));
    if (live.proc?.terminal) await outputEnded(live.proc.terminal.output, TTY_DRAIN_MS);
    await live.tty?.close().catch((err) => this.report(`tty log of ${id}`, err));
    live.proc?.terminal?.close();
    trace('finish: logs read');
    await live.cgroup.remove().catch((err) => this.report(`cgroup of ${id}`, err));
    trace('finish: cgroup removed');
    for (const port of live.ports) await port.close().catch((err) => this.report(`port ${port.hostPort} of ${id}`, err));
    const exitCode = status?.exitCode ?? (oom ? OOM_EXIT_CODE : live.signalled ? 128 + parseSignal(live.signalled).number : UNKNOWN_EXIT_CODE);
    // A --rm container's exit is not written: its record is forgotten right after (remove).
    const autoRemove = this.deps.store.find(id)?.hostConfig.AutoRemove === true;
    const rec = await this.deps.store.update(id, (r) => {
      r.state = { ...r.state, status: 'exited', pid: 0, pidStartTime: undefined, exitCode, oomKilled: oom, finishedAt: new Date().toISOString() };
      r.ports = [];
    }, { persist: !autoRemove });
    trace('finish: record stored');
    this.live.delete(id);
    live.output.emit('end');
    if (oom) this.publish(rec, 'oom');
    this.publish(rec, 'die', { exitCode: String(exitCode) });
    this.waiters.wake(id, ['not-running', 'next-exit'], rec.state);
    if (!live.manualStop && shouldRestart(rec)) return this.restarts.schedule(rec);
    if (rec.hostConfig.AutoRemove) await this.remove(id, { volumes: true, afterExit: true }).catch((err) => this.report(`--rm of ${id}`, err));
  }

  /** Serves the ports of a running container again (after a service restart): the host ports it had. */
  private async publishPorts(rec: ContainerRecord, mappings: readonly PortMapping[], undo: Rollback): Promise<PublishedPort[]> {
    return attachAll(await reserveAll(this.deps.ports, mappings, undo, { id: rec.id, name: rec.name }), rec.state.pid, () => true);
  }

  // ---- wait / stop / kill / restart ------------------------------------------------------

  /** POST /containers/{id}/wait. Registered before it returns: a later exit is never missed. */
  async wait(ref: string, condition: WaitCondition = 'not-running'): Promise<{ StatusCode: number; Error: { Message: string } | null }> {
    const rec = this.deps.store.get(ref);
    const running = this.isRunning(rec);
    // The state comes with the wake-up: after --rm the record is gone but the exit code is not.
    const state = condition === 'not-running' && !running ? rec.state : await this.waiters.next(rec.id, condition);
    return { StatusCode: state.exitCode, Error: state.error ? { Message: state.error } : null };
  }

  private isRunning(rec: ContainerRecord): boolean {
    return rec.state.status === 'running' || rec.state.status === 'paused' || rec.state.status === 'restarting';
  }

  private sendSignal(rec: ContainerRecord, signal: NodeJS.Signals): void {
    const live = this.live.get(rec.id);
    if (live) live.signalled = signal;
    if (live?.proc) live.proc.kill(signal);
    else if (rec.state.pid) this.signalPid(rec.state.pid, signal);
  }

  /** Resolves once the exit is recorded, or after `ms` (false). */
  private async exitedWithin(id: string, ms: number): Promise<boolean> {
    if (!this.live.has(id)) return true;
    return this.waiters.exitWithin(id, ms);
  }

  /** docker stop: STOPSIGNAL (or SIGTERM), then SIGKILL after `timeout` seconds (-1: wait forever). */
  async stop(ref: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    const rec = this.deps.store.get(ref);
    if (await this.restarts.cancel(rec.id)) return;
    if (!this.isRunning(rec)) throw notModified('container already stopped');
    const signal = parseSignal(opts.signal || rec.config.StopSignal || 'SIGTERM').name;
    const live = this.live.get(rec.id);
    if (live) live.manualStop = true;
    const timeout = opts.timeout ?? rec.config.StopTimeout ?? DEFAULT_STOP_TIMEOUT;
    this.sendSignal(rec, signal);
    // A frozen process cannot act on the signal.
    if (rec.state.status === 'paused') await this.live.get(rec.id)?.cgroup.thaw();
    if (await this.exitedWithin(rec.id, timeout < 0 ? 2 ** 31 - 1 : timeout * 1000)) return;
    await this.killAndWait(rec, 30_000);
  }

  /** SIGKILL (a paused container thawed, or it could not die), then the exit recorded within `ms`. */
  private async killAndWait(rec: ContainerRecord, ms: number, alreadySent = false): Promise<void> {
    if (!alreadySent) this.sendSignal(rec, 'SIGKILL');
    if (rec.state.status === 'paused') await this.live.get(rec.id)?.cgroup.thaw();
    if (!(await this.exitedWithin(rec.id, ms))) throw new SlipwayError(`container ${rec.id} did not exit after SIGKILL`);
  }

  /** docker kill -s. */
  async kill(ref: string, signalName = 'SIGKILL'): Promise<void> {
    const rec = this.deps.store.get(ref);
    const signal = parseSignal(signalName).name;
    if (rec.state.status === 'restarting') throw new ConflictError(`Container ${rec.id} is restarting, wait until the container is running`);
    if (!this.isRunning(rec)) throw new ConflictError(`Container ${rec.id} is not running`);
    const live = this.live.get(rec.id);
    if (live) live.manualStop = true;
    this.sendSignal(rec, signal);
    this.publish(rec, 'kill', { signal: String(parseSignal(signal).number) });
    // As dockerd's Kill: a SIGKILL returns once the exit is recorded, so `kill x && rm x` works.
    if (signal === 'SIGKILL') await this.killAndWait(rec, KILL_WAIT_MS, true);
  }

  async restart(ref: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    const rec = this.deps.store.get(ref);
    if (this.isRunning(rec)) await this.stop(rec.id, opts);
    await this.start(rec.id);
    // RestartCount counts the restart policy's restarts only, as Docker's does.
    this.publish(this.deps.store.get(rec.id), 'restart');
  }

  // ---- pause / rm / top / stats / io -----------------------------------------------------

  async pause(ref: string): Promise<void> {
    const rec = this.deps.store.get(ref);
    if (rec.state.status === 'paused') throw new ConflictError(`Container ${rec.id} is already paused`);
    const live = this.live.get(rec.id);
    if (rec.state.status !== 'running' || !live) throw new ConflictError(`Container ${rec.id} is not running`);
    await live.cgroup.freeze();
    this.publish(await this.deps.store.update(rec.id, (r) => { r.state.status = 'paused'; }), 'pause');
  }

  async unpause(ref: string): Promise<void> {
    const rec = this.deps.store.get(ref);
    const live = this.live.get(rec.id);
    if (rec.state.status !== 'paused' || !live) throw new ConflictError(`Container ${rec.id} is not paused`);
    await live.cgroup.thaw();
    this.publish(await this.deps.store.update(rec.id, (r) => { r.state.status = 'running'; }), 'unpause');
  }

  /**
   * docker rm [-f] [-v]: -v removes the container's anonymous volumes (named ones stay, as
   * Docker). `afterExit`: the --rm of an exit just recorded in memory only (finish).
   */
  async remove(ref: string, opts: { force?: boolean; volumes?: boolean; afterExit?: boolean } = {}): Promise<void> {
    const { store, volumes, cgroups } = this.deps;
    const rec = store.get(ref);
    if (rec.state.status === 'restarting' && opts.force) await this.restarts.cancel(rec.id);
    if (this.isRunning(store.get(rec.id))) {
      if (!opts.force) throw new ConflictError(`cannot remove container "/${rec.name}": container is running: stop the container before removing or force remove`);
      await this.killAndWait(rec, 30_000);
    }
    if (rec.state.status === 'removing' || !store.find(rec.id)) return;
    const finalState = (await store.update(rec.id, (r) => { r.state.status = 'removing'; }, { persist: !opts.afterExit })).state;
    trace('remove: marked removing');
    if (cgroups.exists(rec.id)) await cgroups.open(rec.id).remove().catch((err) => this.report(`cgroup of ${rec.id}`, err));
    const { deleted } = await store.forget(rec.id);
    trace('remove: record forgotten');
    if (opts.volumes) {
      for (const m of rec.mounts) {
        if (m.Type !== 'volume' || !m.Name || !this.isAnonymous(m.Name)) continue;
        try {
          volumes.remove(m.Name, { force: true });
        } catch (err) {
          // In use by another container (--volumes-from): it stays, as in Docker.
          if (statusOf(err) !== 409) this.report(`volume ${m.Name}`, err);
        }
      }
    }
    this.publish(rec, 'destroy');
    // Waiters (`run --rm`'s "removed") go on at once: the container is gone for every API
    // call; the caller of remove (DELETE /containers) still waits for its directory to go.
    this.waiters.wake(rec.id, ['not-running', 'next-exit', 'removed'], finalState);
    await deleted;
    trace('remove: directory deleted');
  }

  /**
   * Made for this container without a name (`-v /data`, an image VOLUME, `--mount type=volume`
   * without src): the volume store labels those, as dockerd does, whichever flag named the others.
   */
  private isAnonymous(volume: string): boolean {
    try {
      return ANONYMOUS_LABEL in (this.deps.volumes.inspect(volume).Labels ?? {});
    } catch {
      return false;
    }
  }

  async top(ref: string, psArgs?: string): Promise<TopResult> {
    const rec = this.deps.store.get(ref);
    const live = this.live.get(rec.id);
    if (!this.isRunning(rec) || !live) throw new ConflictError(`Container ${rec.id} is not running`);
    return runTop(live.cgroup.pids(), psArgs);
  }

  /** One sample of GET /containers/{id}/stats; the previous sample becomes precpu_stats. */
  stats(ref: string): DockerStats {
    const rec = this.deps.store.get(ref);
    const live = this.live.get(rec.id);
    const host = {
      systemCpuNs: systemCpuNs(fs.readFileSync('/proc/stat', 'utf8')), onlineCpus: this.deps.host.cpus,
      hostMemory: this.deps.host.memory, time: new Date(),
    };
    // NET I/O: the interfaces of the container's own namespace (host mode has none of its own, as in docker).
    let networks: ReturnType<typeof parseNetDev> | undefined;
    if (live && rec.state.pid > 0 && rec.hostConfig.NetworkMode !== 'host') {
      try { networks = parseNetDev(fs.readFileSync(`/proc/${rec.state.pid}/net/dev`, 'utf8')); } catch { networks = undefined; }
    }
    const current = { stats: live ? live.cgroup.stats() : EMPTY_STATS, host, networks };
    const out = toDockerStats({ id: rec.id, name: rec.name }, current, this.previousStats.get(rec.id));
    this.previousStats.set(rec.id, current);
    return out;
  }

  /** The live stdio of a running container (attach): output events, stdin, terminal. */
  io(ref: string): { output: OutputStream; stdin?: StartedProcess['stdin']; terminal?: StartedProcess['terminal'] } {
    const rec = this.deps.store.get(ref);
    const live = this.live.get(rec.id);
    if (!live) throw new ConflictError(`Container ${rec.id} is not running`);
    return { output: live.output, stdin: live.proc?.stdin, terminal: live.proc?.terminal };
  }

  /**
   * What `docker exec` needs: the container's PID 1, its cgroup.procs files and the new
   * process's spec (execInContainer in runtime/container/exec takes these).
   */
  execTarget(ref: string, req: ExecRequest): { pid: number; cgroupProcs: string[]; process: ProcessSpec } {
    const rec = this.deps.store.get(ref);
    const live = this.live.get(rec.id);
    if (rec.state.status === 'paused') throw new ConflictError(`Container ${rec.id} is paused, unpause the container before exec`);
    if (rec.state.status === 'restarting') throw new ConflictError(`Container ${rec.id} is restarting, wait until the container is running`);
    if (rec.state.status !== 'running' || !live) throw new ConflictError(`Container ${rec.id} is not running`);
    const p = this.paths(rec.id);
    const files = readUserFiles([p.upper, ...(rec.rootfs?.lowerDirs ?? [])]);
    const user = resolveUser(req.User || rec.config.User, files.passwd, files.group);
    const merged = { config: rec.config, hostConfig: rec.hostConfig, path: rec.path, args: rec.args };
    return { pid: rec.state.pid, cgroupProcs: live.cgroup.procsFiles, process: buildExecProcess(merged, req, user, this.bounding()) };
  }

  // ---- service start / stop --------------------------------------------------------------

  /**
   * After a service (re)start: records whose process is gone are marked exited, live ones get
   * their log follower, ports and an exit watcher back (manager-adopt.ts).
   */
  async adopt(): Promise<void> {
    await adoptAll({
      deps: this.deps, live: this.live, paths: (id) => this.paths(id), isRunning: (rec) => this.isRunning(rec), startTimeOf: this.startTimeOf,
      finish: (id, status) => this.finish(id, status), publishPorts: (rec, m, undo) => this.publishPorts(rec, m, undo), report: (c, e) => this.report(c, e),
    });
  }

  /** Service shutdown: containers keep running; stop watching them and let the process exit. */
  async detach(): Promise<void> {
    await detachAll(this.live.values());
  }
}
