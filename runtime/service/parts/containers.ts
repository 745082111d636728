// The one place the service builds its container side: the real syscalls and starter (wrapped
// so attach sees a PTY's output from its first byte), a Worker pool held while containers are
// worked on (pool.ts), the lifecycle manager over the image store with the host-port
// publisher it binds -p ports through (before every start and at re-adoption:
// container/ports/host-ports.ts), exec instances and the attach hub. It is a lazy part: an idle
// service that never runs a container never loads koffi. The setup below creates it at start-up
// only when containers are on disk, to re-adopt them (output, ports) and keep /info right.
import fs from 'node:fs';
import path from 'node:path';
import { detectCgroups } from '../../cgroups';
import { describe, statusOf } from '../../errors';
import { HostPorts } from '../../container/ports/host-ports';
import { createContainerRuntime, type ContainerRuntime } from '../../container/runtime';
import type { ContainerEventInput, Starter } from '../../container/manager-types';
import { HealthMonitor } from '../../container/health/monitor';
import { execProbe } from '../../container/health/probe';
import { createStarter } from '../../container/starter';
import { WorkerPool } from '../../container/start/session';
import type { ContainerRecord } from '../../container/state';
import type { NamespaceType } from '../../container/spec';
import { LibcSyscalls } from '../../linux/libc';
import type { ServiceContext } from '../context';
import { imageStore } from '../routes/registry';
import type { Setup } from '../setup';
import { ExecRegistry } from './exec';
import { OutputHub } from './output-hub';
import { IdlePool } from './pool';

export interface ContainerPart extends ContainerRuntime {
  hub: OutputHub;
  execs: ExecRegistry;
  /** HEALTHCHECK probing of running containers (driven by start/die/pause events below). */
  health: HealthMonitor;
  /**
   * Starts a container (the manager binds its published ports first: a taken one fails the
   * start); a --rm container whose start failed is removed, as dockerd does.
   */
  start(ref: string): Promise<void>;
  /**
   * The exit of a run that ended moments ago (by id or name; within 2 s, or 30 s once the
   * container is removed), for waits that arrive after the fact.
   */
  recentExit(ref: string): { exitCode: number } | undefined;
  close(): Promise<void>;
}

/** The id in a spec's cgroupsPath ("slipway/<id>"), which every container start carries. */
function idOfSpec(cgroupsPath: string | undefined): string | undefined {
  return cgroupsPath?.split('/').pop();
}

export function containerPart(ctx: ServiceContext): Promise<ContainerPart> {
  return ctx.lazy('containers', () => createPart(ctx));
}

async function createPart(ctx: ServiceContext): Promise<ContainerPart> {
  const sys = new LibcSyscalls();
  // One idle Worker with koffi loaded serves the next exec or port proxy at once, and one
  // pre-warmed init (namespaces made, Node loaded) the next start with the default namespace
  // set — DESIGN.md fact 11: Node's start-up is the cost to beat. Held while containers are
  // worked on, released when idle (pool.ts).
  const namespaces: NamespaceType[] = ['pid', 'ipc', 'uts', 'mount', 'network', ...(detectCgroups().version === 2 ? ['cgroup' as const] : [])];
  const onError = (context: string, err: unknown) => ctx.log.warn('container part', { context, error: describe(err) });
  const pool = new IdlePool(() => new WorkerPool({ plain: 1, prewarm: { namespaces, count: 1 } }), sys, { onError });
  const hub = new OutputHub();
  const starter: Starter = {
    async start(spec, o) {
      // The real starter over the pool of the moment (made again after an idle release).
      const proc = await createStarter(sys, { pool: pool.get() }).start(spec, o);
      const id = idOfSpec(spec.linux.cgroupsPath);
      if (id) hub.terminalStarted(id, proc);
      return proc;
    },
  };
  // Filled in once the runtime exists; the manager only publishes after create() returns.
  const self: { part?: ContainerPart } = {};
  const exits = new Map<string, { exitCode: number; at: number; removed: boolean }>();
  const publish = (event: ContainerEventInput) => {
    ctx.events.publish(event);
    if (event.Action === 'die') {
      const exit = { exitCode: Number(event.Actor.Attributes?.exitCode ?? 0), at: Date.now(), removed: false };
      for (const [k, v] of exits) if (Date.now() - v.at > 30_000) exits.delete(k);
      exits.set(event.Actor.ID, exit);
      if (event.Actor.Attributes?.name) exits.set(event.Actor.Attributes.name, exit);
    } else if (event.Action === 'destroy') {
      const exit = exits.get(event.Actor.ID);
      if (exit) exit.removed = true;
    } else if (event.Action === 'start') {
      exits.delete(event.Actor.ID);
      if (event.Actor.Attributes?.name) exits.delete(event.Actor.Attributes.name);
    }
    if (self.part) onContainerEvent(self.part, event, onError);
  };
  const images = await imageStore(ctx);
  // The proxies' Workers come from the pool of the moment, like every other job's.
  const ports = new HostPorts({ pool: () => pool.get() });
  const runtime = await createContainerRuntime({ stateRoot: ctx.stateRoot, sys, images, publish, starter, ports, onError });
  const execs = new ExecRegistry({
    store: runtime.store, cgroups: runtime.cgroups, sys, pool: () => pool.get(), onError,
    publish: (action, rec, attrs) => ctx.events.publish({ Type: 'container', Action: action, Actor: { ID: rec.id, Attributes: { ...attrs, name: rec.name, image: rec.image } } }),
  });
  const health = new HealthMonitor({
    store: runtime.store, onError,
    // A probe is an exec instance, as in dockerd: the container's user, environment and
    // cgroups, and exec_create/exec_start/exec_die events.
    probe: execProbe((id, argv) => execs.probe(id, argv)),
    publish: (rec, action) => ctx.events.publish({ Type: 'container', Action: action, Actor: { ID: rec.id, Attributes: { ...(rec.config.Labels ?? {}), image: rec.image, name: rec.name } } }),
  });
  const part: ContainerPart = {
    ...runtime, hub, execs, health,
    async start(ref) {
      const rec = runtime.store.get(ref);
      try {
        await runtime.manager.start(rec.id);
      } catch (err) {
        // As dockerd: a --rm container whose start failed (a taken port, a missing command) is
        // removed (`docker run --rm` waits for the removal); its record keeps the exit code
        // (126/127) for that wait.
        if (rec.hostConfig.AutoRemove && statusOf(err) !== 304) await runtime.manager.remove(rec.id, { force: true, volumes: true }).catch((e) => onError(`--rm of ${rec.id}`, e));
        throw err;
      }
    },
    recentExit(ref) {
      const exit = exits.get(ref) ?? exits.get(runtime.store.find(ref)?.id ?? '');
      if (!exit || Date.now() - exit.at > (exit.removed ? 30_000 : 2_000)) return undefined;
      return { exitCode: exit.exitCode };
    },
    async close() {
      health.stopAll();
      // Containers run on; their port proxies (this process's Workers) close with the detach.
      await runtime.manager.detach();
      await pool.close();
    },
  };
  self.part = part;
  // Re-adopted containers: their output goes to attachers again (the manager served their ports again).
  for (const rec of runtime.store.list()) {
    if (rec.state.status !== 'running' && rec.state.status !== 'paused') continue;
    try {
      hub.started(rec.id, runtime.manager.io(rec.id));
    } catch (err) {
      onError(`adopting the output of ${rec.id}`, err);
    }
    // Probing goes on from the health state on disk.
    health.resume(rec.id);
  }
  return part;
}

function onContainerEvent(part: ContainerPart, event: ContainerEventInput, onError: (c: string, e: unknown) => void): void {
  const id = event.Actor.ID;
  switch (event.Action) {
    case 'start':
      try {
        part.hub.started(id, part.manager.io(id));
      } catch (err) {
        onError(`output of ${id}`, err);
      }
      part.health.started(id).catch((err) => onError(`health of ${id}`, err));
      break;
    case 'die':
      part.health.stop(id);
      break;
    // As dockerd: a paused container is not probed; unpause carries on where it was.
    case 'pause':
      part.health.stop(id);
      break;
    case 'unpause':
      part.health.resume(id);
      break;
    case 'destroy':
      part.health.stop(id);
      part.execs.forget(id);
      part.hub.forget(id);
      break;
  }
}

/** Counts for /info without creating the part when no container exists. */
export function countContainers(list: readonly ContainerRecord[]) {
  const c = { total: list.length, running: 0, paused: 0, stopped: 0 };
  for (const r of list) {
    if (r.state.status === 'running' || r.state.status === 'restarting') c.running++;
    else if (r.state.status === 'paused') c.paused++;
    else c.stopped++;
  }
  return c;
}

function hasContainersOnDisk(stateRoot: string): boolean {
  try {
    // Dot entries are removed containers' directories still being deleted (ContainerStore.forget).
    return fs.readdirSync(path.join(stateRoot, 'containers')).some((name) => !name.startsWith('.'));
  } catch {
    return false;
  }
}

export const containersSetup: Setup = {
  name: 'containers',
  async run(ctx) {
    ctx.providers.containerCounts = async () => (hasContainersOnDisk(ctx.stateRoot) ? countContainers((await containerPart(ctx)).store.list()) : { total: 0, running: 0, paused: 0, stopped: 0 });
    if (hasContainersOnDisk(ctx.stateRoot)) await containerPart(ctx);
  },
};
