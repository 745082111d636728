// Published ports of running containers: one proxy (runtime/container/ports) per binding,
// opened when a container starts, closed when it exits, and opened again for containers that
// a restarted service re-adopts (the proxies lived in the old service process).
//
// Docker binds a container's host ports before its process starts: a taken port fails the
// start with the command never run and the container left as it was. `reserve` binds them
// (before the start), `ensure` then points them at the container's network namespace; for a
// re-adopted container `ensure` binds and attaches at once. Messages are dockerd's: "Bind for
// …: port is already allocated" when another container holds the port, "Error starting
// userland proxy: listen tcp4 …: bind: address already in use" when something else does.
import fs from 'node:fs';
import { ConflictError, describe } from '../../errors';
import { portMappings, type PortMapping } from '../../container/config';
import { publishPort, reservePort, type PublishedPort, type ReservedPort } from '../../container/ports/publish';
import type { WorkerPool } from '../../container/start/session';
import type { ContainerRecord, ContainerStore } from '../../container/state';

export class PortProxies {
  private readonly open = new Map<string, PublishedPort[]>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly reserved = new Map<string, ReservedPort[]>();

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

  /**
   * Binds every host port of a container about to start, in the host's network namespace.
   * Throws (with nothing left bound) when one is taken.
   */
  async reserve(id: string): Promise<void> {
    await this.release(id);
    const rec = this.store.get(id);
    const made: ReservedPort[] = [];
    try {
      for (const m of portMappings(rec.hostConfig)) made.push(await this.bindOne(rec, m, () => reservePort(m, this.workerOpts())));
    } catch (err) {
      await Promise.all(made.map((p) => p.close()));
      throw err;
    }
    if (made.length) this.reserved.set(id, made);
  }

  private workerOpts() {
    return { workerPath: this.opts.workerPath, pool: this.opts.pool?.() };
  }

  private async publishAll(id: string): Promise<void> {
    if (this.open.has(id)) return;
    const rec = this.store.find(id);
    const reserved = this.reserved.get(id);
    this.reserved.delete(id);
    if (!rec || !rec.state.pid) {
      await Promise.all((reserved ?? []).map((p) => p.close()));
      return;
    }
    const wanted = portMappings(rec.hostConfig);
    if (wanted.length === 0) return;
    const made: PublishedPort[] = [];
    try {
      if (reserved) {
        made.push(...reserved);
        try {
          for (const p of reserved) await p.attach(rec.state.pid);
        } catch (err) {
          // A command that ended at once has no namespace left to serve: nothing to publish.
          if (!fs.existsSync(`/proc/${rec.state.pid}/ns/net`)) {
            await Promise.all(made.map((p) => p.close()));
            return;
          }
          throw err;
        }
      } else {
        for (const m of wanted) made.push(await this.bindOne(rec, m, () => publishPort(rec.state.pid, m, this.workerOpts())));
      }
    } catch (err) {
      await Promise.all(made.map((p) => p.close()));
      throw err;
    }
    this.open.set(id, made);
    await this.store.update(id, (r) => {
      r.ports = made.map((p) => ({ hostIp: p.hostIp, hostPort: p.hostPort, containerPort: p.containerPort, proto: 'tcp' as const }));
    });
  }

  private async bindOne<T>(rec: ContainerRecord, m: PortMapping, bind: () => Promise<T>): Promise<T> {
    try {
      return await bind();
    } catch (err) {
      if (err instanceof ConflictError || /EADDRINUSE/.test(describe(err))) {
        const hostIp = m.hostIp || '0.0.0.0';
        // The proxy's own message is moby's portmapper wording already (no cause chained: it would repeat it).
        const why = this.heldByContainer(rec.id, hostIp, m.hostPort) ? `Bind for ${hostIp}:${m.hostPort} failed: port is already allocated` : (err as Error).message;
        throw new ConflictError(`driver failed programming external connectivity on endpoint ${rec.name} (${rec.id}): ${why}`);
      }
      throw err;
    }
  }

  /** Whether another container of this service serves that host port (dockerd's port allocator knows). */
  private heldByContainer(self: string, hostIp: string, hostPort: number): boolean {
    const overlaps = (ip: string) => ip === hostIp || ip === '0.0.0.0' || hostIp === '0.0.0.0';
    const mine = (id: string) => [...(this.open.get(id) ?? []), ...(this.reserved.get(id) ?? [])];
    return this.store.list().some((r) => r.id !== self && (r.ports.some((p) => p.hostPort === hostPort && overlaps(p.hostIp)) || mine(r.id).some((p) => p.hostPort === hostPort && overlaps(p.hostIp))));
  }

  /** Closes the proxies of a container that stopped. */
  async release(id: string): Promise<void> {
    await this.pending.get(id)?.catch(() => undefined);
    const list = [...(this.open.get(id) ?? []), ...(this.reserved.get(id) ?? [])];
    this.open.delete(id);
    this.reserved.delete(id);
    await Promise.all(list.map((p) => p.close()));
  }

  async close(): Promise<void> {
    await Promise.all([...new Set([...this.open.keys(), ...this.reserved.keys()])].map((id) => this.release(id)));
  }
}
