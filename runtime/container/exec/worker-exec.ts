// The container-worker's side of `exec` (DESIGN.md fact 5): join the container's namespaces on
// this thread after unshare(CLONE_FS), take on the process's user, capabilities and
// no_new_privs (raw, per-thread syscalls), look the command up in the container's PATH, and
// spawn it from here so that it is born with all of that. No second stage, no Node start-up.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import { CLONE, CLOSE_RANGE } from '../../linux/constants';
import type { Syscalls } from '../../linux/syscalls';
import { applyCredentials, applyUmask, envObject } from '../start/credentials';
import { lookPath, pathOf, realLookFs } from '../start/paths';
import type { ExecJob, WorkerEvent } from '../start/protocol';
import { StepError, failureOf, step } from '../start/steps';
import { driveInit, spawnInitProcess } from '../start/worker-start';
import { trace } from '../../common/trace';

interface SelfMove { enter(): void; leave(): void; close(): void }

/** The tasks files of ExecJob.cgroupTasks, opened (as root, in the host's mounts) for later. */
function openSelfMove(files: { join: string[]; back: string[] }): SelfMove {
  const fds: number[] = [];
  try {
    for (const f of [...files.join, ...files.back]) fds.push(fs.openSync(f, 'w'));
  } catch (err) {
    for (const fd of fds) fs.closeSync(fd);
    throw err;
  }
  const join = fds.slice(0, files.join.length);
  const back = fds.slice(files.join.length);
  // "0": this thread (runtime/cgroups/self-move.ts). Writes through fds opened as root work
  // after the user switch: cgroup v1 checks the opener's credentials.
  return {
    enter: () => { for (const fd of join) fs.writeSync(fd, '0'); },
    leave: () => { for (const fd of back) fs.writeSync(fd, '0'); },
    close: () => { for (const fd of fds.splice(0)) fs.closeSync(fd); },
  };
}

/**
 * Runs `spawnIt` from inside the container's cgroups (when `move` is given) and goes back at
 * once. Should going back fail, the command is killed and the job fails: this thread then
 * ends, which takes it out of the container's cgroups too.
 */
function inCgroups(move: SelfMove | undefined, spawnIt: () => ChildProcess): ChildProcess {
  if (!move) return spawnIt();
  step('join cgroups', undefined, () => move.enter());
  let child: ChildProcess;
  try {
    child = spawnIt();
  } catch (err) {
    try { move.leave(); } catch { /* the thread ends with the failed job */ }
    throw err;
  }
  try {
    move.leave();
  } catch (err) {
    child.kill('SIGKILL');
    throw new StepError(failureOf('leave cgroups', undefined, err), { cause: err });
  }
  return child;
}

/** Joined in this order; mnt last, because it changes how every later path resolves. */
export const EXEC_NAMESPACES = ['cgroup', 'ipc', 'uts', 'net', 'pid', 'mnt'] as const;

export function joinContainer(sys: Syscalls, pid: number, opts: { mount?: boolean } = {}): void {
  const spaces = EXEC_NAMESPACES.filter((ns) => opts.mount !== false || ns !== 'mnt');
  const fds = step('open namespaces', `/proc/${pid}/ns`, () => {
    const opened: number[] = [];
    try {
      for (const ns of spaces) opened.push(fs.openSync(`/proc/${pid}/ns/${ns}`, 'r'));
    } catch (err) {
      for (const fd of opened) fs.closeSync(fd);
      throw new StepError({ step: 'open namespaces', path: `/proc/${pid}/ns`, code: 'ESRCH', message: `container process ${pid} is not running`, exitCode: 126 }, { cause: err });
    }
    return opened;
  });
  try {
    step('unshare fs attributes', undefined, () => sys.unshare(CLONE.FS));
    spaces.forEach((ns, i) => step('join namespace', ns, () => sys.setns(fds[i], 0)));
  } finally {
    for (const fd of fds) fs.closeSync(fd);
  }
}

export function runExecJob(sys: Syscalls, job: ExecJob, port: MessagePort): void {
  const post = (e: WorkerEvent) => port.postMessage(e);
  const proc = job.process;
  if (job.viaInit) {
    const via = job.viaInit;
    let init;
    try {
      // All but the mount namespace: the init still loads from the host's filesystem, then
      // joins the container's mount namespace itself.
      joinContainer(sys, job.pid, { mount: false });
      init = spawnInitProcess(via.nodePath, via.initPath);
    } catch (err) {
      post({ type: 'failed', failure: err instanceof StepError ? err.report : failureOf('exec', proc.args[0], err) });
      port.close();
      return;
    }
    driveInit(init, { type: 'exec-config', process: proc, stdio: via.stdio, mntNs: `/proc/${job.pid}/ns/mnt` }, port);
    return;
  }
  let child;
  let move: SelfMove | undefined;
  try {
    trace('worker: exec job');
    const capLastCap = Number(fs.readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8'));
    // Opened while the host's /sys/fs/cgroup is still this thread's (before the mount namespace).
    if (job.cgroupTasks) move = step('open cgroups', undefined, () => openSelfMove(job.cgroupTasks!));
    joinContainer(sys, job.pid);
    trace('worker: exec joined');
    applyUmask(sys, proc);
    applyCredentials(sys, proc, capLastCap);
    step('working directory', proc.cwd, () => {
      if (!fs.statSync(proc.cwd).isDirectory()) throw new Error('not a directory');
    });
    const found = lookPath(proc.args[0] ?? '', pathOf(proc.env), realLookFs);
    if ('error' in found) throw new StepError({ step: 'exec', path: proc.args[0], code: 'ENOENT', message: found.error, exitCode: found.exitCode });
    const { stdin, stdout, stderr } = job.stdio;
    // libuv's spawn passes on every fd of the service that lacks FD_CLOEXEC (a pipe of the
    // service's was seen as fd 251 in exec'd processes). Marking all of them close-on-exec is
    // harmless to the service — its children get their stdio by dup2, which clears the flag
    // on 0-2 — and leaves the command exactly its stdio, as runc's exec does.
    step('close inherited fds', undefined, () => sys.closeRange(3, ~0 >>> 0, CLOSE_RANGE.CLOEXEC));
    trace('worker: exec credentials, lookup');
    child = inCgroups(move, () => spawn(found.path, proc.args.slice(1), {
      argv0: proc.args[0], cwd: proc.cwd, env: envObject(proc.env), stdio: [stdin, stdout, stderr],
      detached: true, // its own session, as a container process; not in the service's group
    }));
  } catch (err) {
    move?.close();
    post({ type: 'failed', failure: err instanceof StepError ? err.report : failureOf('exec', proc.args[0], err) });
    port.close();
    return;
  }
  move?.close();
  child.on('error', (err) => {
    post({ type: 'failed', failure: failureOf('exec', proc.args[0], err, 126) });
    port.close();
  });
  trace('worker: exec spawned');
  child.on('exit', (code, signal) => {
    trace('worker: exec exited');
    post({ type: 'exited', exitCode: code, signal });
    port.close();
  });
  if (child.pid !== undefined) post({ type: 'spawned', pid: child.pid });
}
