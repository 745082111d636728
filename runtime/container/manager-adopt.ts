// Re-adoption after a service (re)start, and letting go at shutdown. Containers outlive the
// service: on start-up every record still marked running is checked (state/adopt.ts decides
// the exit code of one whose process is gone); a live one gets its log follower, port proxies
// and an exit watcher back. The watcher polls the pid with its start time, because the
// process is no longer our child. Owns those two passes; exits are recorded by the manager.
import { EventEmitter } from 'node:events';
import type { PortMapping } from './config';
import { logFollower, type Live } from './manager-live';
import type { ExitStatus, ManagerDeps, PublishedPort } from './manager-types';
import { Rollback } from './rollback';
import { reconcileState, type ContainerRecord } from './state';
import type { containerPaths } from './manager-helpers';

/** The manager's parts that adoption uses. */
export interface AdoptHost {
  deps: ManagerDeps;
  live: Map<string, Live>;
  paths(id: string): ReturnType<typeof containerPaths>;
  isRunning(rec: ContainerRecord): boolean;
  startTimeOf(pid: number): number | undefined;
  /** Records an exit (the manager's finish). */
  finish(id: string, status: ExitStatus | undefined): Promise<void>;
  publishPorts(pid: number, mappings: readonly PortMapping[], undo: Rollback): Promise<PublishedPort[]>;
  report(context: string, err: unknown): void;
}

export async function adoptAll(h: AdoptHost): Promise<void> {
  const { store, cgroups } = h.deps;
  await store.load((id, err) => h.report(`record ${id}`, err));
  for (const rec of store.list()) {
    if (!h.isRunning(rec) || h.live.has(rec.id)) continue;
    const cgroup = cgroups.open(rec.id);
    const changed = reconcileState(rec, { startTimeOf: h.startTimeOf, oomKills: () => (cgroups.exists(rec.id) ? cgroup.oomKillCount() : 0), now: () => new Date() });
    const output = new EventEmitter();
    const follower = rec.config.Tty ? undefined : logFollower(h.paths(rec.id), output, (err) => h.report(`logs of ${rec.id}`, err));
    const live: Live = { cgroup, follower, output, ports: [], finished: Promise.resolve() };
    h.live.set(rec.id, live);
    await follower?.start().catch((err) => h.report(`logs of ${rec.id}`, err));
    if (changed) {
      await h.finish(rec.id, { exitCode: changed.exitCode });
      continue;
    }
    // The old service's port proxies died with it: serve the same host ports again.
    live.ports = await h.publishPorts(rec.state.pid, rec.ports, new Rollback()).catch((err) => { h.report(`ports of ${rec.id}`, err); return []; });
    live.poll = setInterval(() => {
      if (h.startTimeOf(rec.state.pid) === rec.state.pidStartTime) return;
      clearInterval(live.poll);
      live.finished = h.finish(rec.id, undefined);
    }, h.deps.adoptPollMs ?? 500);
    live.poll.unref();
  }
}

/** Service shutdown: containers keep running; stop watching them and let the process exit. */
export async function detachAll(lives: Iterable<Live>): Promise<void> {
  for (const live of lives) {
    if (live.poll) clearInterval(live.poll);
    live.proc?.unref?.();
    await live.follower?.drain().catch(() => undefined);
  }
}
