// Finding and reaping the pre-started inits of Workers that the idle pool ended (pool.ts).
// Such an init is a child of its Worker thread; when the thread ends, the kernel kills it (its
// parent-death signal) and hands it to another thread of the service, whose event loop does not
// know the pid and never waits for it: without this it would stay a zombie. Only children that
// live in the pid namespace of a thread that has just gone are taken, so no process that a
// live Worker or the main thread spawned (and will wait for itself) is ever reaped here.
import fs from 'node:fs';
import { readProcStat } from '../../common/proc-stat';
import type { Syscalls } from '../../linux/syscalls';

/** What the threads and children of this process look like at one moment. */
export interface ProcessView {
  /** tid → the pid namespace its children are born in (pid_for_children). */
  threads: Map<number, string>;
  /** Children of this process: pid → its pid namespace. */
  children: Map<number, string>;
}

/**
 * The children to reap after some threads ended: those in a pid namespace that only a thread
 * which is gone now had made (threads that never unshared one share the process's own).
 */
export function orphanedChildren(before: ProcessView, tidsAfter: ReadonlySet<number>, ownNs: string): number[] {
  const liveNs = new Set([...before.threads].filter(([tid]) => tidsAfter.has(tid)).map(([, ns]) => ns));
  const goneNs = new Set([...before.threads].filter(([tid, ns]) => !tidsAfter.has(tid) && ns !== ownNs && !liveNs.has(ns)).map(([, ns]) => ns));
  return [...before.children].filter(([, ns]) => goneNs.has(ns)).map(([pid]) => pid);
}

const readlink = (p: string): string | undefined => {
  try {
    return fs.readlinkSync(p);
  } catch {
    return undefined; // gone meanwhile, or a zombie (no namespaces any more)
  }
};

export function threadIds(): Set<number> {
  return new Set(fs.readdirSync('/proc/self/task').map(Number));
}

/** This process's threads and children, from /proc. */
export function viewProcess(): ProcessView {
  const threads = new Map<number, string>();
  for (const tid of threadIds()) {
    const ns = readlink(`/proc/self/task/${tid}/ns/pid_for_children`);
    if (ns) threads.set(tid, ns);
  }
  const children = new Map<number, string>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    if (readProcStat(name)?.ppid !== process.pid) continue; // gone meanwhile, or not ours
    const ns = readlink(`/proc/${name}/ns/pid`);
    if (ns) children.set(Number(name), ns);
  }
  return { threads, children };
}

/** Waits (polling, up to `ms`) for each pid to exit and reaps it; true when all were reaped. */
export async function reap(sys: Pick<Syscalls, 'pidfdOpen' | 'waitPidfd' | 'close'>, pids: readonly number[], ms = 5_000): Promise<boolean> {
  const fds: number[] = [];
  for (const pid of pids) {
    try {
      fds.push(sys.pidfdOpen(pid));
    } catch {
      // ESRCH: reaped already.
    }
  }
  const end = Date.now() + ms;
  try {
    while (fds.length > 0 && Date.now() < end) {
      for (let i = fds.length - 1; i >= 0; i--) {
        let done: boolean;
        try {
          done = sys.waitPidfd(fds[i]) !== undefined;
        } catch {
          done = true; // ECHILD: not ours to wait for, or reaped meanwhile
        }
        if (done) sys.close(fds.splice(i, 1)[0]);
      }
      if (fds.length > 0) await new Promise((r) => setTimeout(r, 20));
    }
    return fds.length === 0;
  } finally {
    for (const fd of fds) sys.close(fd);
  }
}
