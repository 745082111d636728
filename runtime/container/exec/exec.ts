// execInContainer: run one more process inside a running container (public API). The work is
// done by a disposable Worker (exec/worker-exec.ts); here the stdio is opened, the new pid is
// written into the container's cgroups and the exit is awaited.
//
// Without a terminal or rlimits the command is spawned straight from the Worker (fast: no Node
// start-up). rlimits are per process: only a process of ours between the spawn and the
// command's execve can set them (setrlimit on the Worker's thread would change the service's
// own), so an exec with rlimits (the container's --ulimit) goes through the init too.
// On cgroup v1 the Worker's thread joins the container's cgroups for the spawn, so the command
// is born in them (ExecJob.cgroupTasks); on v2 its pid is written into cgroup.procs right after
// the spawn, so its very first instructions run in the service's cgroup
// (clone3(CLONE_INTO_CGROUP) is not reachable from libuv). With a terminal it goes through the init, which waits until it is in the cgroups and
// makes the PTY its controlling terminal (setsid + TIOCSCTTY), as a shell's job control needs.
import fs from 'node:fs';
import net from 'node:net';
import { InvalidArgumentError, SlipwayError } from '../../errors';
import type { Syscalls } from '../../linux/syscalls';
import { bundlePath } from '../../paths';
import { containerDevpts, openPipe, openPty, type Pty } from '../pty/pty';
import type { ProcessSpec } from '../spec';
import { returnTasksFiles } from '../../cgroups/self-move';
import { ContainerSetupError, selfJoinFiles, type StdioFds } from '../start/protocol';
import { WorkerSession, type ExitStatus, type WorkerPool } from '../start/session';
import { trace } from '../../common/trace';

export interface ExecOptions {
  sys: Syscalls;
  /** The container's cgroup.procs files. */
  cgroupProcs?: string[];
  /** Give the process a stdin pipe (docker exec -i); otherwise /dev/null. */
  stdin?: boolean;
  workerPath?: string;
  pool?: WorkerPool;
  /** For exec with a terminal, which goes through the init (see ExecJob.viaInit). */
  nodePath?: string;
  initPath?: string;
}

/**
 * cgroup v1: the worker thread moves itself in and out around the spawn (ExecJob.cgroupTasks)
 * instead of the service writing the pid, which waits 10-25 ms for the kernel. Undefined on v2
 * or when the way back to this thread's own cgroups is not known.
 */
function selfMoveFiles(procsFiles: readonly string[]): { join: string[]; back: string[] } | undefined {
  const join = selfJoinFiles(procsFiles, fs.existsSync);
  if (!join?.length) return undefined;
  try {
    // Worker threads start in their creator's cgroups: this thread's are the worker's.
    const back = returnTasksFiles(join, fs.readFileSync('/proc/self/mountinfo', 'utf8'), fs.readFileSync('/proc/thread-self/cgroup', 'utf8'));
    // A way back that cannot be taken (a service whose own cgroups are not its to write, as
    // rootless on v1 can be) would fail the exec: then the pid is written as before.
    for (const f of back ?? []) fs.accessSync(f, fs.constants.W_OK);
    return back && { join, back };
  } catch {
    return undefined;
  }
}

export interface ExecProcess {
  pid: number;
  exited: Promise<ExitStatus>;
  stdin?: net.Socket;
  stdout?: net.Socket;
  stderr?: net.Socket;
  /** With process.terminal: the PTY (output, input, resize). */
  terminal?: Pty;
  kill(signal?: NodeJS.Signals | number): void;
}

export async function execInContainer(pid: number, proc: ProcessSpec, opts: ExecOptions): Promise<ExecProcess> {
  if (proc.args.length === 0) throw new InvalidArgumentError('no command specified for exec');
  const owned: number[] = [];
  const streams: net.Socket[] = [];
  let terminal: Pty | undefined;
  let stdio: StdioFds;
  const result: Partial<ExecProcess> = {};
  try {
    if (proc.terminal) {
      // On the container's own devpts when it has one, so the tty's name resolves inside it;
      // otherwise on the host's (the init opens it by its host path before joining the mounts).
      const size = proc.consoleSize ? { rows: proc.consoleSize.height, cols: proc.consoleSize.width } : undefined;
      terminal = openPty(opts.sys, size, containerDevpts(pid));
      stdio = { stdin: terminal.slave, stdout: terminal.slave, stderr: terminal.slave };
    } else {
      const pipe = (dir: 'in' | 'out') => {
        const p = openPipe(opts.sys);
        owned.push(dir === 'in' ? p.read : p.write);
        const s = dir === 'in'
          ? new net.Socket({ fd: p.write, readable: false, writable: true })
          : new net.Socket({ fd: p.read, readable: true, writable: false });
        streams.push(s);
        return { child: dir === 'in' ? p.read : p.write, stream: s };
      };
      const out = pipe('out');
      const err = pipe('out');
      result.stdout = out.stream;
      result.stderr = err.stream;
      let input: number | 'ignore' = 'ignore';
      if (opts.stdin) { const i = pipe('in'); input = i.child; result.stdin = i.stream; }
      stdio = { stdin: input, stdout: out.child, stderr: err.child };
    }
  } catch (err) {
    for (const fd of owned) fs.closeSync(fd);
    for (const s of streams) s.destroy();
    terminal?.close();
    throw new SlipwayError('cannot open the exec process\'s stdio', { cause: err });
  }
  // Through the init, the stdio is opened by path (protocol.ts, InitStdio): the PTY slave, or
  // the pipes' child ends through this process's /proc/<pid>/fd, kept open until it has them.
  const fdPath = (fd: number | 'ignore') => (fd === 'ignore' ? null : `/proc/${process.pid}/fd/${fd}`);
  const initStdio = terminal ? { terminal: terminal.path } : { stdin: fdPath(stdio.stdin), stdout: fdPath(stdio.stdout) ?? '/dev/null', stderr: fdPath(stdio.stderr) ?? '/dev/null' };
  const viaInit = terminal || proc.rlimits?.length ? { nodePath: opts.nodePath ?? process.execPath, initPath: opts.initPath ?? bundlePath('init.js'), stdio: initStdio } : undefined;
  const cgroupTasks = viaInit ? undefined : selfMoveFiles(opts.cgroupProcs ?? []);
  trace('exec: stdio ready, job posted');
  const session = new WorkerSession({ kind: 'exec', pid, process: proc, stdio, viaInit, ...(cgroupTasks ? { cgroupTasks } : {}) }, { workerPath: opts.workerPath, pool: opts.pool });
  const closeChildEnds = () => { for (const fd of owned.splice(0)) fs.closeSync(fd); terminal?.closeSlave(); };
  const spawned = await session.next(['spawned', 'failed']).catch((err) => ({ type: 'error' as const, err }));
  trace(`exec: ${spawned.type}`);
  // A spawned command has its stdio; an init opens it later (after "continue").
  if (!viaInit || terminal || spawned.type !== 'spawned') closeChildEnds();
  if (spawned.type !== 'spawned') {
    for (const s of streams) s.destroy();
    terminal?.close();
    await session.exited.catch(() => undefined);
    throw spawned.type === 'failed' ? new ContainerSetupError(spawned.failure) : spawned.err;
  }
  for (const file of cgroupTasks ? [] : opts.cgroupProcs ?? []) {
    try { fs.writeFileSync(file, String(spawned.pid)); } catch (err) {
      // A process that already finished cannot be moved, and need not be.
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') break;
      try { process.kill(spawned.pid, 'SIGKILL'); } catch { /* gone */ }
      throw new SlipwayError(`cannot add the exec process to cgroup ${file}`, { cause: err });
    }
  }
  if (viaInit) {
    // The init waits for this before it runs anything of the command's.
    session.post({ type: 'continue' });
    const started = await session.next(['started', 'failed']);
    closeChildEnds();
    if (started.type === 'failed') {
      for (const s of streams) s.destroy();
      terminal?.close();
      await session.exited.catch(() => undefined);
      throw new ContainerSetupError(started.failure);
    }
  }
  void session.exited.then(() => trace('exec: exit seen'), () => undefined);
  return {
    ...result,
    pid: spawned.pid,
    exited: session.exited,
    terminal,
    kill: (signal = 'SIGKILL') => process.kill(spawned.pid, signal),
  };
}
