// startContainer: from a RuntimeSpec to a running container process (public API of the
// start-up; the ladder is in protocol.ts). The main thread only opens stdio, writes the pid
// into the cgroups and waits; the namespace work happens on a disposable Worker and the
// mount work in the second-stage init.
import fs from 'node:fs';
import net from 'node:net';
import { InvalidArgumentError, SlipwayError } from '../../errors';
import { bundlePath } from '../../paths';
import type { Syscalls } from '../../linux/syscalls';
import { openPipe, openPty, type Pty } from '../pty/pty';
import type { RuntimeSpec } from '../spec';
import { ContainerSetupError, type StdioFds } from './protocol';
import { WorkerSession, type ExitStatus } from './session';

export interface StartOptions {
  /** Syscalls of the calling (main) thread: PTY and pipe creation. */
  sys: Syscalls;
  /** cgroup.procs files (one per hierarchy) the init joins before any set-up runs. */
  cgroupProcs?: string[];
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

  const owned: number[] = []; // the child's copies: closed here once it has them
  let terminal: Pty | undefined;
  let stdin: net.Socket | undefined;
  let stdio: StdioFds;
  const io = spec.slipway.stdio;
  try {
    if ('terminal' in io) {
      terminal = openPty(opts.sys, spec.process.consoleSize ? { rows: spec.process.consoleSize.height, cols: spec.process.consoleSize.width } : undefined);
      stdio = { stdin: terminal.slave, stdout: terminal.slave, stderr: terminal.slave };
    } else {
      const stdout = fs.openSync(io.stdoutFile, 'a', 0o640);
      owned.push(stdout);
      const stderr = io.stderrFile === io.stdoutFile ? stdout : fs.openSync(io.stderrFile, 'a', 0o640);
      if (stderr !== stdout) owned.push(stderr);
      let input: number | 'ignore' = 'ignore';
      if (io.stdin === 'pipe') {
        const pipe = openPipe(opts.sys);
        owned.push(pipe.read);
        input = pipe.read;
        stdin = new net.Socket({ fd: pipe.write, readable: false, writable: true });
      }
      stdio = { stdin: input, stdout, stderr };
    }
  } catch (err) {
    for (const fd of owned) fs.closeSync(fd);
    terminal?.close();
    throw new SlipwayError('cannot open the container\'s stdio', { cause: err });
  }

  const session = new WorkerSession({
    kind: 'start', spec, stdio, terminal: terminal !== undefined,
    nodePath: opts.nodePath ?? process.execPath,
    initPath: opts.initPath ?? bundlePath('init.js'),
  }, opts.workerPath);
  const cleanup = () => { for (const fd of owned.splice(0)) fs.closeSync(fd); terminal?.closeSlave(); };
  const abandon = async (err: unknown): Promise<never> => {
    cleanup();
    stdin?.destroy();
    terminal?.close();
    await session.exited.catch(() => undefined);
    throw err;
  };

  const spawned = await session.next(['spawned', 'failed']).catch(abandon);
  if (spawned.type === 'failed') return abandon(new ContainerSetupError(spawned.failure));
  cleanup();
  const pid = spawned.pid;
  for (const file of opts.cgroupProcs ?? []) {
    try {
      fs.writeFileSync(file, String(pid));
    } catch (err) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      return abandon(new SlipwayError(`cannot add the container's process to cgroup ${file}`, { cause: err }));
    }
  }
  session.post({ type: 'continue' });
  const started = await session.next(['started', 'failed']).catch(abandon);
  if (started.type === 'failed') return abandon(new ContainerSetupError(started.failure));
  return {
    pid,
    exited: session.exited,
    stdin,
    terminal,
    kill: (signal = 'SIGKILL') => { try { process.kill(pid, signal); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err; } },
    unref: () => session.unref(),
  };
}
