// startContainer: from a RuntimeSpec to a running container process (public API of the
// start-up; the ladder is in protocol.ts). The main thread only opens stdio, writes the pid
// into the cgroups and waits; the namespace work happens on a disposable Worker and the
// mount work in the second-stage init.
import fs from 'node:fs';
import net from 'node:net';
import { InvalidArgumentError, SlipwayError } from '../../errors';
import { bundlePath } from '../../paths';
import type { Syscalls } from '../../linux/syscalls';
import { adoptPtyMaster, openPipe, openPty, specHasDevpts, type Pty } from '../pty/pty';
import type { RuntimeSpec } from '../spec';
import { ContainerSetupError, selfJoinFiles, type InitStdio, type StartJob } from './protocol';
import { WorkerSession, type ExitStatus, type WorkerPool } from './session';

export interface StartOptions {
  /** Syscalls of the calling (main) thread: PTY and pipe creation. */
  sys: Syscalls;
  /**
   * cgroup.procs files (one per hierarchy) the init joins before any set-up runs: on cgroup v1
   * it moves itself through the `tasks` file beside each (protocol.ts says why), on v2 the
   * service writes its pid.
   */
  cgroupProcs?: string[];
  /** Pre-started Workers (and inits); without one every start pays two Node start-ups. */
  pool?: WorkerPool;
  /** Node for the second stage: the service's own by default (DESIGN.md fact 11). */
  nodePath?: string;
  initPath?: string;
  workerPath?: string;
}

export interface ContainerProcess {
  /** Host pid of the container's PID 1. */
  pid: number;
  exited: Promise<ExitStatus>;
  /** Present when spec.slipway.stdio.stdin is "pipe": the write end of its stdin. */
  stdin?: net.Socket;
  /** Present with a terminal: the PTY master (output, input, resize). */
  terminal?: Pty;
  /** Signals PID 1 (SIGKILL by default); a process already gone is not an error. */
  kill(signal?: NodeJS.Signals | number): void;
  /** Lets the service exit while the container runs on. */
  unref(): void;
}

export async function startContainer(spec: RuntimeSpec, opts: StartOptions): Promise<ContainerProcess> {
  if (spec.process.args.length === 0) throw new InvalidArgumentError('no command specified');
  if (!spec.slipway) throw new InvalidArgumentError('runtime spec has no slipway section (stdio)');
  if (!spec.slipway.overlay && !fs.existsSync(spec.root.path)) throw new InvalidArgumentError(`rootfs ${spec.root.path} does not exist`);

  // The init opens its stdio by path (protocol.ts, InitStdio); the service keeps its own ends
  // open until the init has them.
  let terminal: Pty | undefined;
  let stdin: net.Socket | undefined;
  let pipeRead: number | undefined;
  let stdio: InitStdio;
  const io = spec.slipway.stdio;
  try {
    if ('terminal' in io && specHasDevpts(spec.mounts)) {
      // The console is opened on the container's own devpts during set-up (protocol.ts).
      stdio = { console: true };
    } else if ('terminal' in io) {
      // No devpts of its own: a host PTY, which the init opens by its host path before pivot_root.
      const size = spec.process.consoleSize;
      terminal = openPty(opts.sys, size ? { rows: size.height, cols: size.width } : undefined);
      stdio = { terminal: terminal.path };
    } else {
      let input: string | null = null;
      if (io.stdin === 'pipe') {
        const pipe = openPipe(opts.sys);
        pipeRead = pipe.read;
        input = `/proc/${process.pid}/fd/${pipe.read}`;
        stdin = new net.Socket({ fd: pipe.write, readable: false, writable: true });
      }
      stdio = { stdin: input, stdout: io.stdoutFile, stderr: io.stderrFile };
    }
  } catch (err) {
    terminal?.close();
    throw new SlipwayError('cannot open the container\'s stdio', { cause: err });
  }
  const release = () => {
    if (pipeRead !== undefined) fs.closeSync(pipeRead);
    pipeRead = undefined;
    terminal?.closeSlave();
  };
  const cgroupTasks = selfJoinFiles(opts.cgroupProcs ?? [], fs.existsSync);
  const job: StartJob = {
    kind: 'start', spec, stdio, nodePath: opts.nodePath ?? process.execPath, initPath: opts.initPath ?? bundlePath('init.js'),
    ...(cgroupTasks ? { cgroupTasks } : {}),
  };
  let session = new WorkerSession(job, { workerPath: opts.workerPath, pool: opts.pool });
  const abandon = async (err: unknown): Promise<never> => {
    release();
    stdin?.destroy();
    terminal?.close();
    await session.exited.catch(() => undefined);
    throw err;
  };

  let spawned = await session.next(['spawned', 'failed']).catch(abandon);
  if (spawned.type === 'failed' && spawned.failure.step === 'prewarmed init') {
    // The pool's waiting init died (killed by someone): start cold instead.
    session = new WorkerSession(job, { workerPath: opts.workerPath });
    spawned = await session.next(['spawned', 'failed']).catch(abandon);
  }
  if (spawned.type === 'failed') return abandon(new ContainerSetupError(spawned.failure));
  const pid = spawned.pid;
  if (!cgroupTasks) {
    // cgroup v2: the pid goes into cgroup.procs before the init sets anything up (protocol.ts).
    for (const file of opts.cgroupProcs ?? []) {
      try {
        fs.writeFileSync(file, String(pid));
      } catch (err) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
        return abandon(new SlipwayError(`cannot add the container's process to cgroup ${file}`, { cause: err }));
      }
    }
    session.post({ type: 'continue' });
  }
  let started = await session.next(['console', 'started', 'failed']).catch(abandon);
  if (started.type === 'console') {
    const size = spec.process.consoleSize;
    const master = started.master;
    try {
      terminal = adoptPtyMaster(opts.sys, master, started.path, size ? { rows: size.height, cols: size.width } : undefined);
    } catch (err) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      return abandon(new SlipwayError('cannot take over the container\'s console', { cause: err }));
    }
    started = await session.next(['started', 'failed']).catch(abandon);
  }
  if (started.type === 'failed') return abandon(new ContainerSetupError(started.failure));
  release();
  const s = session;
  return {
    pid,
    exited: s.exited,
    stdin,
    terminal,
    kill: (signal = 'SIGKILL') => { try { process.kill(pid, signal); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err; } },
    unref: () => s.unref(),
  };
}
