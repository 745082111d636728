// Terminals without node-pty (DESIGN.md fact 9): posix_openpt/grantpt/unlockpt/ptsname through
// the Syscalls, the slave fd becomes the container process's stdio, and the service keeps the
// master as Node streams. Opened on the host's devpts, so inside the container the slave is a
// working tty (isatty, TIOCGWINSZ, job control through the init's TIOCSCTTY) though its name
// does not resolve in the container's own /dev/pts. `run -t` uses adoptPtyMaster instead: a
// master opened on the container's devpts, whose slave is /dev/pts/N inside it. A container
// without a devpts of its own (an OCI spec that mounts none) gets a host PTY for both.
import fs from 'node:fs';
import tty from 'node:tty';
import { O } from '../../linux/constants';
import type { Syscalls, Winsize } from '../../linux/syscalls';
import type { MountSpec } from '../spec';

const F_DUPFD_CLOEXEC = 1030;

export interface Pty {
  readonly master: number;
  /** The slave fd to hand to the process; close it in the service after the spawn. */
  readonly slave: number;
  readonly path: string;
  resize(size: Winsize): void;
  size(): Winsize;
  /** Output of the process (reads of the master). */
  readonly output: tty.ReadStream;
  /** Input to the process (writes to a duplicate of the master). */
  readonly input: tty.WriteStream;
  closeSlave(): void;
  close(): void;
}

/**
 * Takes over a PTY master opened elsewhere (the container's own devpts, see
 * openContainerConsole): the slave was opened by the container's init, so there is none here.
 */
export function adoptPtyMaster(sys: Syscalls, master: number, path: string, size?: Winsize): Pty {
  try {
    if (size) sys.setWinsize(master, size);
    const writeFd = sys.fcntl(master, F_DUPFD_CLOEXEC, 3);
    const output = new tty.ReadStream(master);
    const input = new tty.WriteStream(writeFd);
    return {
      master, slave: -1, path, output, input,
      resize: (s) => sys.setWinsize(master, s),
      size: () => sys.getWinsize(master),
      closeSlave: () => undefined,
      close: () => { output.destroy(); input.destroy(); },
    };
  } catch (err) {
    sys.close(master);
    throw err;
  }
}

/**
 * A PTY on the host's devpts, or with `devpts` (a devpts mount such as a container's, reached
 * as /proc/<pid>/root/dev/pts) on that instance: then `path` is the slave under that directory.
 */
export function openPty(sys: Syscalls, size?: Winsize, devpts?: string): Pty {
  const master = devpts ? sys.open(`${devpts}/ptmx`, O.RDWR | O.NOCTTY | O.CLOEXEC) : sys.posixOpenpt(O.RDWR | O.NOCTTY | O.CLOEXEC);
  let slave = -1;
  try {
    if (!devpts) sys.grantpt(master);
    sys.unlockpt(master);
    // ptsname is TIOCGPTN: the number is the slave's within the master's devpts instance.
    const path = devpts ? `${devpts}/${/(\d+)$/.exec(sys.ptsname(master))?.[1] ?? ''}` : sys.ptsname(master);
    slave = sys.open(path, O.RDWR | O.NOCTTY | O.CLOEXEC);
    if (size) sys.setWinsize(master, size);
    const writeFd = sys.fcntl(master, F_DUPFD_CLOEXEC, 3);
    const output = new tty.ReadStream(master);
    const input = new tty.WriteStream(writeFd);
    let slaveOpen = true;
    const closeSlave = () => { if (slaveOpen) { slaveOpen = false; sys.close(slave); } };
    return {
      master, slave, path, output, input,
      resize: (s) => sys.setWinsize(master, s),
      size: () => sys.getWinsize(master),
      closeSlave,
      close: () => { closeSlave(); output.destroy(); input.destroy(); },
    };
  } catch (err) {
    if (slave >= 0) sys.close(slave);
    sys.close(master);
    throw err;
  }
}

/** True when a spec mounts a devpts of its own on /dev/pts (Docker's defaults do). */
export function specHasDevpts(mounts: readonly MountSpec[]): boolean {
  return mounts.some((m) => m.type === 'devpts' && m.destination.replace(/\/+$/, '') === '/dev/pts');
}

/**
 * The devpts directory of a running container as the host reaches it, or undefined when it
 * has none: /dev/pts/ptmx under its root must be the character device a devpts mount has (an
 * image's own /dev/pts directory, or a file left there, is not one).
 */
export function containerDevpts(pid: number): string | undefined {
  const dir = `/proc/${pid}/root/dev/pts`;
  try {
    return fs.statSync(`${dir}/ptmx`).isCharacterDevice() ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** A pipe whose ends are plain fds (close-on-exec), for a container's stdin. */
export function openPipe(sys: Syscalls): { read: number; write: number } {
  const [read, write] = sys.pipe2(O.CLOEXEC);
  return { read, write };
}


/**
 * Resolves once a master has handed over all its output — the stream ends, or fails with EIO,
 * when the last slave fd closes — or after `ms`. The exit of a container's PID 1 can reach the
 * service before the read of what it wrote last: closing the master then would drop that.
 */
export function outputEnded(output: NodeJS.ReadableStream & { destroyed?: boolean; readableEnded?: boolean }, ms: number): Promise<void> {
  if (output.destroyed || output.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const event of ['end', 'close', 'error']) output.off(event, done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const event of ['end', 'close', 'error']) output.once(event, done);
  });
}
