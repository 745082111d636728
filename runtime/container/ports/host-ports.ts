// The service's host ports: the one way a container's `-p` bindings are bound, and the one
// table of which container holds which host port. The manager reserves through it before every
// start (user's start, restart, restart policy) and when it re-adopts a running container after
// a service restart; the proxies themselves are ports/publish.ts reservePort.
//
// As dockerd: its port allocator knows the ports its own containers hold and refuses a second
// one without trying ("Bind for 0.0.0.0:8080 failed: port is already allocated"); a port held
// by anything else fails in the bind with the portmapper's wording ("Error starting userland
// proxy: listen tcp4 …: bind: address already in use"). Both come wrapped as the network
// driver does ("driver failed programming external connectivity on endpoint NAME (ID): …").
import { ConflictError, SlipwayError, statusOf } from '../../errors';
import type { WorkerPool } from '../start/session';
import { reservePort, type PortMapping, type ReservedPort } from './publish';

/** The container a binding is made for (its name and id are in dockerd's message). */
export interface PortOwner { id: string; name: string }

/** One binding a container holds, as `docker port` shows it. */
export interface HeldPort { owner: string; hostIp: string; hostPort: number; containerPort: number }

export type BindPort = (mapping: PortMapping) => Promise<ReservedPort>;

/** Wildcard addresses overlap every address of their family; others only themselves. */
export function addressesOverlap(a: string, b: string): boolean {
  const any = (ip: string) => ip === '0.0.0.0' || ip === '::' || ip === '';
  return a === b || any(a) || any(b);
}

export class HostPorts {
  private readonly held = new Set<HeldPort>();
  private readonly bind: BindPort;

  /** `bind` replaces the real proxy (unit tests); otherwise Workers come from `pool()` when it has one. */
  constructor(opts: { bind?: BindPort; workerPath?: string; pool?: () => WorkerPool | undefined } = {}) {
    this.bind = opts.bind ?? ((m) => reservePort(m, { workerPath: opts.workerPath, pool: opts.pool?.() }));
  }

  /**
   * Binds `mapping`'s host port for `owner` now, before its process exists; `attach(pid)` then
   * serves the container. Closing the returned port frees it in the table too.
   */
  async reserve(mapping: PortMapping, owner: PortOwner): Promise<ReservedPort> {
    const hostIp = mapping.hostIp || '0.0.0.0';
    const fail = (why: string, err?: unknown) => {
      const message = `driver failed programming external connectivity on endpoint ${owner.name} (${owner.id}): ${why}`;
      // No cause chained: the proxy's message is part of this one already.
      return err === undefined || err instanceof ConflictError ? new ConflictError(message) : new SlipwayError(message, { status: statusOf(err) });
    };
    const other = mapping.hostPort ? this.holder(hostIp, mapping.hostPort) : undefined;
    if (other && other.owner !== owner.id) throw fail(`Bind for ${hostIp}:${mapping.hostPort} failed: port is already allocated`);
    // A fixed port is entered before the bind, so two concurrent starts cannot both pass the check.
    const entry: HeldPort = { owner: owner.id, hostIp, hostPort: mapping.hostPort, containerPort: mapping.containerPort };
    if (mapping.hostPort) this.held.add(entry);
    let port: ReservedPort;
    try {
      port = await this.bind(mapping);
    } catch (err) {
      this.held.delete(entry);
      // A bad mapping is the request's fault, not the driver's.
      if (statusOf(err) === 400) throw err;
      throw fail(err instanceof Error ? err.message : String(err), err);
    }
    entry.hostPort = port.hostPort;
    this.held.add(entry);
    let closed: Promise<void> | undefined;
    return {
      hostIp: port.hostIp,
      hostPort: port.hostPort,
      containerPort: port.containerPort,
      attach: (pid) => port.attach(pid),
      close: () => {
        // Out of the table once the listener is gone, not before: a start racing the close
        // would otherwise meet "address already in use" instead of "already allocated".
        closed ??= port.close().finally(() => { this.held.delete(entry); });
        return closed;
      },
    };
  }

  /** Who holds an overlapping binding of `hostPort`, if a container of this service does. */
  holder(hostIp: string, hostPort: number): HeldPort | undefined {
    for (const h of this.held) if (h.hostPort === hostPort && addressesOverlap(h.hostIp, hostIp)) return h;
    return undefined;
  }

  /** Every binding held now (for diagnostics and tests). */
  list(): HeldPort[] {
    return [...this.held].map((h) => ({ ...h }));
  }
}
