// Published ports of running containers: one proxy (runtime/container/ports) per binding,
// opened when a container starts, closed when it exits, and opened again for containers that
// a restarted service re-adopts (the proxies lived in the old service process).
//
// Docker refuses a start whose host port is taken ("port is already allocated") and leaves
// the container stopped; `open` throws the same and the caller stops the container.
import { ConflictError, describe } from '../../errors';
import { portMappings, type PortMapping } from '../../container/config';
import { publishPort, type PublishedPort } from '../../container/ports/publish';
import type { WorkerPool } from '../../container/start/session';
import type { ContainerRecord, ContainerStore } from '../../container/state';

export class PortProxies {
  private readonly open = new Map<string, PublishedPort[]>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly store: ContainerStore, private readonly opts: { workerPath?: string; pool?: () => WorkerPool | undefined } = {}) {}

  /** Opens every binding of a running container (once; concurrent calls share the work). */
  ensure(id: string): Promise<void> {
    let p = this.pending.get(id);
    if (!p) {
      p = this.publishAll(id).finally(() => this.pending.delete(id));
      this.pending.set(id, p);
    }
    return p;
  }

  private async publishAll(id: string): Promise<void> {
    if (this.open.has(id)) return;
    const rec = this.store.find(id);
    if (!rec || !rec.state.pid) return;
    const wanted = portMappings(rec.hostConfig);
    if (wanted.length === 0) return;
    const made: PublishedPort[] = [];
    try {
      for (const m of wanted) made.push(await this.publishOne(rec, m));
    } catch (err) {
      await Promise.all(made.map((p) => p.close()));
      throw err;
    }
    this.open.set(id, made);
    await this.store.update(id, (r) => {
      r.ports = made.map((p) => ({ hostIp: p.hostIp, hostPort: p.hostPort, containerPort: p.containerPort, proto: 'tcp' as const }));
    });
  }

  private async publishOne(rec: ContainerRecord, m: PortMapping): Promise<PublishedPort> {
    try {
      return await publishPort(rec.state.pid, m, { workerPath: this.opts.workerPath, pool: this.opts.pool?.() });
    } catch (err) {
      if (err instanceof ConflictError || /EADDRINUSE/.test(describe(err))) {
        // The proxy's message is Docker's "Bind for …: port is already allocated" already.
        throw new ConflictError(`driver failed programming external connectivity on endpoint ${rec.name} (${rec.id}): Bind for ${m.hostIp}:${m.hostPort} failed: port is already allocated`);
      }
      throw err;
    }
  }

  /** Closes the proxies of a container that stopped. */
  async release(id: string): Promise<void> {
    await this.pending.get(id)?.catch(() => undefined);
    const list = this.open.get(id);
    this.open.delete(id);
    await Promise.all((list ?? []).map((p) => p.close()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.keys()].map((id) => this.release(id)));
  }
}
