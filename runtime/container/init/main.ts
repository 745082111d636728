// The second-stage init (bundle `init`): spawned by the container-worker inside the new
// namespaces, it becomes the container's PID 1 by execve()ing the user's command once the
// container is set up. See runtime/container/start/protocol.ts for the ladder.
//
// It is a straight-line, synchronous program on purpose: no event loop work, nothing heavy
// imported (Node's start-up is the cost to beat, DESIGN.md fact 11), and the channel on fd 3
// is read with blocking reads. Every step failure is reported on fd 3 before exiting, and a
// successful execve closes fd 3 (close-on-exec), which the worker reads as "started".
import fs from 'node:fs';
import path from 'node:path';
import { CLONE, CLOSE_RANGE, F, O, PR } from '../../linux/constants';
import { LibcSyscalls } from '../../linux/libc';
import { isErrno, type Syscalls } from '../../linux/syscalls';
import type { ProcessSpec, RuntimeSpec } from '../spec';
import { applyCredentials, applyRlimits, applyUmask } from '../start/credentials';
import { lookPath, pathOf, realLookFs } from '../start/paths';
import { encodeLine, expectMessage, LineDecoder, type InitConfig, type InitMark, type InitReport, type InitStdio } from '../start/protocol';
import { traceClock } from '../../common/trace';
import { cgroupV1Hierarchies, prepareRootfs } from '../start/rootfs';
import { StepError, failureOf, step } from '../start/steps';

const CHANNEL_FD = 3;
const SIGKILL = 9;

const decoder = new LineDecoder();
let pending: unknown[] = [];
/** Set-up step times, kept when the config asks for a trace and sent with "exec". */
let marks: InitMark[] | undefined;
const mark = (label: string) => { marks?.push([label, traceClock()]); };

function readConfig(): Extract<InitConfig, { type: 'config' | 'exec-config' }> {
  return expectMessage<InitConfig, 'config' | 'exec-config'>('the container worker', readMessage(), ['config', 'exec-config']);
}

/** The next message on fd 3 (blocking). */
function readMessage(): unknown {
  if (pending.length > 0) return pending.shift();
  const buf = Buffer.alloc(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(CHANNEL_FD, buf, 0, buf.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1); // non-blocking socket: poll
      continue;
    }
    if (n === 0) throw new Error('channel closed before the message from the container worker arrived');
    pending = decoder.push(buf.toString('utf8', 0, n));
    if (pending.length > 0) return pending.shift();
  }
}

function send(msg: InitReport): void {
  try { fs.writeSync(CHANNEL_FD, encodeLine(msg)); } catch { /* parent gone */ }
}

/** Opens the container's stdio by its host paths and puts it on fds 0-2 (before pivot_root). */
function openStdio(sys: Syscalls, stdio: InitStdio): void {
  if ('console' in stdio) return; // opened once the container's devpts is mounted (openConsole)
  if ('terminal' in stdio) {
    const fd = step('open terminal', stdio.terminal, () => sys.open(stdio.terminal, O.RDWR | O.NOCTTY));
    for (const target of [0, 1, 2]) sys.dup2(fd, target);
    sys.close(fd);
    return;
  }
  const stdin = step('open stdin', stdio.stdin ?? '/dev/null', () => sys.open(stdio.stdin ?? '/dev/null', O.RDONLY));
  const out = step('open stdout', stdio.stdout, () => sys.open(stdio.stdout, O.WRONLY | O.APPEND | O.CREAT, 0o640));
  const err = stdio.stderr === stdio.stdout ? out : step('open stderr', stdio.stderr, () => sys.open(stdio.stderr, O.WRONLY | O.APPEND | O.CREAT, 0o640));
  for (const [fd, target] of [[stdin, 0], [out, 1], [err, 2]]) sys.dup2(fd, target);
  for (const fd of new Set([stdin, out, err])) if (fd > 2) sys.close(fd);
}

function run(sys: Syscalls): never {
  const config = readConfig();
  if (config.type === 'config' && config.trace) marks = [['config received', traceClock()]];
  // First of all, so that everything below is charged to the container (protocol.ts: why v1
  // inits move themselves). "0" is this thread, the one that will execve.
  if (config.type === 'config') for (const file of config.cgroupTasks ?? []) step('join cgroup', file, () => fs.writeFileSync(file, '0'));
  step('open stdio', undefined, () => openStdio(sys, config.stdio));
  const capLastCap = Number(fs.readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8'));
  if (config.type === 'exec-config') {
    joinMountNamespace(sys, config.mntNs);
    step('change to working directory', config.process.cwd, () => sys.chdir(config.process.cwd));
    applyRlimits(sys, config.process.rlimits);
    applyUmask(sys, config.process);
    return finish(sys, config.process, 'terminal' in config.stdio, capLastCap);
  }
  const tty = 'terminal' in config.stdio || 'console' in config.stdio;
  setUpContainer(sys, config.spec, tty, 'console' in config.stdio);
  return finish(sys, config.spec.process, tty, capLastCap);
}

/**
 * stdio {console}: the container's devpts is mounted under the rootfs; the worker opens a PTY
 * master on it and answers with the slave's path inside the container, opened here as fds 0-2.
 */
function openConsole(sys: Syscalls, root: string): void {
  send({ type: 'devpts' });
  const msg = step('receive console', undefined, () => expectMessage<InitConfig, 'console'>('the container worker', readMessage(), ['console']));
  const file = path.join(root, msg.path);
  const fd = step('open console', msg.path, () => sys.open(file, O.RDWR | O.NOCTTY));
  for (const target of [0, 1, 2]) sys.dup2(fd, target);
  sys.close(fd);
}

/** exec -t: the worker joined the other namespaces; the mount namespace is joined here. */
function joinMountNamespace(sys: Syscalls, path: string): void {
  step('join mount namespace', path, () => {
    const fd = sys.open(path, O.RDONLY | O.CLOEXEC);
    // setns(CLONE_NEWNS) refuses a thread that shares its fs attributes with Node's others.
    sys.unshare(CLONE.FS);
    sys.setns(fd, CLONE.NEWNS);
    sys.close(fd);
  });
}

function setUpContainer(sys: Syscalls, spec: RuntimeSpec, terminal: boolean, console: boolean): void {
  const proc = spec.process;
  // A cgroup namespace is created here, not in the worker, so that its root is the cgroup the
  // parent just put this process in (as runc does after its cgroup sync).
  if (spec.linux.namespaces.some((n) => n.type === 'cgroup' && !n.path)) {
    step('unshare cgroup namespace', undefined, () => sys.unshare(CLONE.NEWCGROUP));
  }
  const needsCgroupLayout = spec.mounts.some((m) => m.type === 'cgroup' || m.type === 'cgroup2');
  const cgroupV2 = needsCgroupLayout && fs.existsSync('/sys/fs/cgroup/cgroup.controllers');
  const cgroupV1 = needsCgroupLayout && !cgroupV2 ? cgroupV1Hierarchies(fs.readFileSync('/proc/self/mountinfo', 'utf8')) : undefined;

  // A new network namespace has only a loopback, and it is down (Docker brings it up too).
  if (spec.linux.namespaces.some((n) => n.type === 'network' && !n.path)) step('bring up loopback', 'lo', () => sys.setLinkUp('lo'));
  const openConsoleHere = console ? () => openConsole(sys, spec.root.path) : undefined;
  mark('cgroups, stdio, loopback');
  prepareRootfs(sys, spec, { terminal, cgroupV1, cgroupV2, openConsole: openConsoleHere, mark });
  step('change to working directory', proc.cwd, () => sys.chdir(proc.cwd));
  applyRlimits(sys, proc.rlimits);
  applyUmask(sys, proc);
}

/** The common end of run and exec -t: stdio and terminal, credentials, PATH lookup, execve. */
function finish(sys: Syscalls, proc: ProcessSpec, terminal: boolean, capLastCap: number): never {
  step('stdio', undefined, () => {
    // Node leaves 0-2 close-on-exec (DESIGN.md fact 4): the command must inherit them.
    for (const fd of [0, 1, 2]) sys.fcntl(fd, F.SETFD, 0);
    sys.setsid();
    if (terminal) sys.setControllingTerminal(0);
  });
  mark('rlimits, umask, setsid');
  applyCredentials(sys, proc, capLastCap);
  mark('credentials');
  // Looked up after the user switch, so access(2) answers for the container's user.
  const found = lookPath(proc.args[0] ?? '', pathOf(proc.env), realLookFs);
  if ('error' in found) {
    try { fs.writeSync(2, `${found.error}\n`); } catch { /* stderr closed */ }
    throw new StepError({ step: 'exec', path: proc.args[0], code: 'ENOENT', message: found.error, exitCode: found.exitCode });
  }
  step('close inherited fds', undefined, () => sys.closeRange(CHANNEL_FD, 0xffffffff, CLOSE_RANGE.CLOEXEC));
  step('clear parent-death signal', undefined, () => sys.prctl(PR.SET_PDEATHSIG, 0));
  send({ type: 'exec', ...(marks ? { marks: [...marks, ['PATH lookup, fds', traceClock()] satisfies InitMark] } : {}) });
  try {
    return sys.execve(found.path, proc.args, proc.env);
  } catch (err) {
    // execvp's convention: 126 when the file cannot be executed, 127 when it is missing.
    const failure = failureOf('exec', found.path, err, isErrno(err, 'ENOENT') ? 127 : 126);
    try { fs.writeSync(2, `exec: "${proc.args[0]}": ${failure.code === 'ENOENT' ? 'no such file or directory' : (failure.code ?? 'failed')}\n`); } catch { /* stderr closed */ }
    throw new StepError(failure, { cause: err });
  }
}

function main(): void {
  let sys: Syscalls;
  try {
    sys = new LibcSyscalls();
    // Until the exec, the init must not outlive its parent (a crashed service mid-setup).
    sys.prctl(PR.SET_PDEATHSIG, SIGKILL);
    run(sys);
  } catch (err) {
    const failure = err instanceof StepError ? err.report : failureOf('init', undefined, err);
    send({ type: 'failed', failure });
    process.exit(failure.exitCode);
  }
}

main();
