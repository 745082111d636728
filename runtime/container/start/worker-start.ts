// The container-worker's side of `run` (see protocol.ts): enter the container's namespaces on
// this thread, spawn the init from here so it is born inside them, hand over the config once
// the service has put the init into its cgroups, and report exec or failure.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import type { MessagePort } from 'node:worker_threads';
import { CLONE, NAMESPACES, O } from '../../linux/constants';
import type { Syscalls } from '../../linux/syscalls';
import type { RuntimeSpec } from '../spec';
import {
  LineDecoder, encodeLine, expectMessage, startConfig, type InitConfig, type InitReport, type MainMessage, type StartJob, type WorkerEvent,
} from './protocol';
import { failureOf } from './steps';
import { isLiveProcess } from '../../common/proc-stat';
import { trace, traceAt, tracing } from '../../common/trace';

type Namespaces = RuntimeSpec['linux']['namespaces'];

/** Joins (setns) the namespaces that have a path and unshares the new ones, on this thread. */
export function enterNamespaces(sys: Syscalls, spaces: Namespaces): void {
  if (spaces.some((n) => n.type === 'user')) {
    // DESIGN.md fact 6: a multi-threaded process can neither create nor join a user namespace.
    throw new Error('user namespaces are not supported by the in-service runtime; run the service rootless instead');
  }
  // Needed for setns(CLONE_NEWNS) and implied by unshare(CLONE_NEWNS): a private fs struct.
  sys.unshare(CLONE.FS);
  for (const ns of spaces) {
    if (!ns.path) continue;
    const fd = fs.openSync(ns.path, 'r');
    try { sys.setns(fd, NAMESPACES[ns.type].flag); } finally { fs.closeSync(fd); }
  }
  // The cgroup namespace is created by the init, after it is in its cgroup (see init/main.ts).
  const flags = spaces.filter((n) => !n.path && n.type !== 'cgroup').reduce((f, n) => f | NAMESPACES[n.type].flag, 0);
  if (flags !== 0) sys.unshare(flags);
}

/**
 * Enters the namespaces and spawns the init inside them. The init's stdio is /dev/null until
 * it opens the container's by path; fd 3 is the channel.
 */
export function spawnInit(sys: Syscalls, spaces: Namespaces, nodePath: string, initPath: string): ChildProcess {
  // This thread must not stay in the container's mount namespace: the init's pivot_root would
  // move this thread's root too. Keep the host's to come back to right after the spawn.
  const hostMnt = fs.openSync('/proc/thread-self/ns/mnt', 'r');
  try {
    enterNamespaces(sys, spaces);
    return spawnInitProcess(nodePath, initPath);
  } finally {
    try { sys.setns(hostMnt, CLONE.NEWNS); } finally { fs.closeSync(hostMnt); }
  }
}

/** The namespaces a pre-warming thread unshares, by their /proc/thread-self/ns names. */
const REUSABLE_NAMESPACES = ['uts', 'ipc', 'net', 'pid'] as const;

/**
 * This thread's own uts, ipc, net and pid namespaces, kept open so that a pre-warmed Worker
 * can go back to them once its container has exited and make the next container's (see
 * WorkerPool: a Worker's start-up is ~30 ms of CPU, once instead of once per run). The
 * thread's mount namespace is restored after every spawn already (spawnInit); pid here is
 * pid_for_children, which unshare(CLONE_NEWPID) refuses to change twice until it is set back.
 * Credentials are never changed on such a thread: the init changes its own.
 */
export function homeNamespaces(sys: Syscalls): { restore(): void } {
  const fds = REUSABLE_NAMESPACES.map((ns) => fs.openSync(`/proc/thread-self/ns/${ns}`, 'r'));
  return { restore: () => { for (const fd of fds) sys.setns(fd, 0); } };
}

/** The init process itself, from this thread's current namespaces. */
export function spawnInitProcess(nodePath: string, initPath: string): ChildProcess {
  return spawn(nodePath, [initPath], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    env: {}, // nothing of the service leaks in (NODE_OPTIONS, loaders); the command's env is in the spec
    argv0: 'slipway-init',
  });
}

export function runStartJob(sys: Syscalls, job: StartJob, port: MessagePort): void {
  let child: ChildProcess;
  try {
    child = spawnInit(sys, job.spec.linux.namespaces, job.nodePath, job.initPath);
  } catch (err) {
    port.postMessage({ type: 'failed', failure: failureOf('spawn init', job.initPath, err) } satisfies WorkerEvent);
    port.close();
    return;
  }
  driveInit(child, startConfig(job, tracing()), port, sys, { awaitContinue: !job.cgroupTasks });
}

/**
 * Opens a PTY master on the container's own devpts, reached through the init's root before
 * its pivot_root, so the slave is /dev/pts/N inside the container (as runc/crun do). The
 * master fd belongs to the whole process: the main thread takes it over.
 */
export function openContainerConsole(sys: Syscalls, initPid: number, rootfs: string): { master: number; path: string } {
  const master = sys.open(`/proc/${initPid}/root${rootfs}/dev/pts/ptmx`, O.RDWR | O.NOCTTY | O.CLOEXEC);
  try {
    sys.unlockpt(master);
    // TIOCGPTN through ptsname: the number is the slave's inside that devpts instance.
    const n = /(\d+)$/.exec(sys.ptsname(master))?.[1];
    if (n === undefined) throw new Error('ptsname gave no pts number');
    return { master, path: `/dev/pts/${n}` };
  } catch (err) {
    sys.close(master);
    throw err;
  }
}

/**
 * Drives a spawned init through the protocol: spawned → (continue) → config → exec | failed.
 * Without `awaitContinue` the config goes right after "spawned": the init joins its cgroups
 * itself (protocol.ts), so the service has nothing to do in between.
 */
export function driveInit(child: ChildProcess, config: InitConfig, port: MessagePort, sys?: Syscalls, opts: { awaitContinue?: boolean; onExit?: () => void } = {}): void {
  const awaitContinue = opts.awaitContinue ?? true;
  const post = (e: WorkerEvent) => port.postMessage(e);
  const channel = child.stdio[3] as unknown as Socket;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined || !isLiveProcess(child.pid)) {
    post({ type: 'failed', failure: { step: 'prewarmed init', message: 'the pre-started container init is gone', exitCode: 1 } });
    port.close();
    return;
  }
  const sendConfig = () => { channel.write(encodeLine(config)); trace('worker: config sent'); };
  const decoder = new LineDecoder();
  // Exactly one of started/failed is posted, before "exited": the child's 'exit' and the
  // channel's 'end' may come in either order.
  let settled = false;
  let sawExec = false;
  let sawDevpts = false;
  const settle = (e: WorkerEvent) => { if (!settled) { settled = true; post(e); } };
  const diedEarly = { step: 'init', message: 'container init exited during set-up without a report', exitCode: 1 };
  channel.setEncoding('utf8');
  channel.on('data', (chunk: string) => {
    for (const msg of decoder.push(chunk)) {
      try {
        const allowed: Array<'exec' | 'devpts' | 'failed'> = sawExec ? ['failed'] : sawDevpts || config.type !== 'config' || !('console' in config.stdio) ? ['exec', 'failed'] : ['devpts', 'exec', 'failed'];
        const report = expectMessage<InitReport, 'exec' | 'devpts' | 'failed'>('the init', msg, allowed);
        if (report.type === 'exec') {
          sawExec = true;
          for (const [label, ms] of report.marks ?? []) traceAt(ms, `init: ${label}`);
        }
        else if (report.type === 'devpts') {
          sawDevpts = true;
          if (!sys || config.type !== 'config') throw new Error('a console needs a start job');
          const console = openContainerConsole(sys, child.pid as number, config.spec.root.path);
          post({ type: 'console', ...console });
          channel.write(encodeLine({ type: 'console', path: console.path }));
        }
        else settle({ type: 'failed', failure: report.failure });
      } catch (err) {
        settle({ type: 'failed', failure: failureOf('protocol', undefined, err) });
        child.kill('SIGKILL');
      }
    }
  });
  channel.on('error', () => { /* EPIPE when the init dies early: its exit reports it */ });
  // EOF after "exec" and no failure: fd 3 was closed by a successful execve. EOF before it:
  // the init died during set-up without a word (killed, crashed).
  channel.on('end', () => { if (sawExec) trace('worker: init exec\'d (EOF)'); });
  channel.on('end', () => settle(sawExec ? { type: 'started' } : { type: 'failed', failure: diedEarly }));
  child.on('error', (err) => settle({ type: 'failed', failure: failureOf('spawn init', undefined, err) }));
  child.on('exit', (code, signal) => {
    trace('worker: init exited');
    const finish = () => {
      settle(sawExec ? { type: 'started' } : { type: 'failed', failure: diedEarly });
      post({ type: 'exited', exitCode: code, signal });
      port.off('message', onMessage);
      if (opts.onExit) opts.onExit();
      else port.close();
    };
    // The exit may be seen before the channel's last bytes (a "failed" after "exec") and EOF.
    if (channel.readableEnded || channel.destroyed) finish();
    else channel.once('close', finish);
  });
  const onMessage = (raw: unknown) => {
    try {
      expectMessage<MainMessage, 'continue'>('the service', raw, awaitContinue ? ['continue'] : []);
      sendConfig();
    } catch (err) {
      post({ type: 'failed', failure: failureOf('protocol', undefined, err) });
      child.kill('SIGKILL');
    }
  };
  port.on('message', onMessage);
  post({ type: 'spawned', pid: child.pid });
  if (!awaitContinue) sendConfig();
}
