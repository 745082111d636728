// Re-adoption after a service (re)start, and letting go at shutdown. Containers outlive the
// service: on start-up every record still marked running is checked (state/adopt.ts decides
// the exit code of one whose process is gone); a live one gets its log follower, port proxies
// and an exit watcher back. The watcher polls the pid with its start time, because the
// process is no longer our child. Owns those two passes; exits are recorded by the manager.
//
// Ports: the old service's proxies lived in its process and died with it. The same host ports
// (the record's, so a port picked at random keeps its number) are bound again through the
// manager's one publisher, as at every start; a graceful shutdown closes them (detachAll).
import { EventEmitter } from 'node:events';
import type { PortMapping } from './config';
import { logFollower, type Live } from './manager-live';
import type { ExitStatus, ManagerDeps, PublishedPort } from './manager-types';
import { Rollback } from './rollback';
import { reconcileState, type ContainerRecord } from './state';
import { recordedPorts, type containerPaths } from './manager-helpers';

/** The manager's parts that adoption uses. */
export interface AdoptHost {
  deps: ManagerDeps;
  live: Map<string, Live>;
  paths(id: string): ReturnType<typeof containerPaths>;
  isRunning(rec: ContainerRecord): boolean;
  startTimeOf(pid: number): number | undefined;
  /** Records an exit (the manager's finish). */
  finish(id: string, status: ExitStatus | undefined): Promise<void>;
  /** Binds `mappings` for the running `rec` and serves its network namespace (the manager's). */
  publishPorts(rec: ContainerRecord, mappings: readonly PortMapping[], undo: Rollback): Promise<PublishedPort[]>;
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
    live.ports = await servePortsAgain(h, rec);
    live.poll = setInterval(() => {
      if (h.startTimeOf(rec.state.pid) === rec.state.pidStartTime) return;
      clearInterval(live.poll);
      live.finished = h.finish(rec.id, undefined);
    }, h.deps.adoptPollMs ?? 500);
    live.poll.unref();
  }
}

/**
 * Each recorded port on its own: one that something else took while no service ran is
 * reported and left out of the record (inspect shows only what is served); the rest serve.
 */
async function servePortsAgain(h: AdoptHost, rec: ContainerRecord): Promise<PublishedPort[]> {
  const served: PublishedPort[] = [];
  for (const m of rec.ports) {
    const undo = new Rollback();
    try {
      served.push(...(await h.publishPorts(rec, [m], undo)));
      undo.commit();
    } catch (err) {
      for (const f of await undo.run()) h.report(`undo ${f.what}`, f.err);
      h.report(`port ${m.hostPort} of ${rec.id}`, err);
    }
  }
  if (served.length !== rec.ports.length) await h.deps.store.update(rec.id, (r) => { r.ports = recordedPorts(served); });
  return served;
}

/**
 * Service shutdown: containers keep running; stop watching them and let the process exit.
 * Their port proxies close (they are this process's); the records keep the ports for the next
 * service to bind again.
 */
export async function detachAll(lives: Iterable<Live>, report: (context: string, err: unknown) => void = () => undefined): Promise<void> {
  for (const live of lives) {
    if (live.poll) clearInterval(live.poll);
    live.proc?.unref?.();
    await live.follower?.drain().catch(() => undefined);
    live.follower?.detach();
    for (const port of live.ports.splice(0)) await port.close().catch((err) => report(`port ${port.hostPort}`, err));
  }
}
