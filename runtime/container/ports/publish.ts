// reservePort: serve a container's TCP port on the host through a proxy Worker that binds the
// host port first and then connects from inside the container's network namespace
// (ports/worker-publish.ts; DESIGN.md fact 8). ports/host-ports.ts is its one caller.
import { ConflictError, InvalidArgumentError } from '../../errors';
import { ContainerSetupError } from '../start/protocol';
import { WorkerSession, type WorkerPool } from '../start/session';

export interface PortMapping { hostIp?: string; hostPort: number; containerPort: number; proto?: 'tcp' | 'udp' }

export interface ReservedPort {
  hostIp: string;
  /** The bound host port (the chosen one when hostPort was 0). */
  hostPort: number;
  containerPort: number;
  /** Stops listening and ends every proxied connection; once. */
  close(): Promise<void>;
  /** Serves the container whose PID 1 is `pid` (joins its network namespace); once. */
  attach(pid: number): Promise<void>;
}

function checkMapping(mapping: PortMapping): string {
  if ((mapping.proto ?? 'tcp') !== 'tcp') throw new InvalidArgumentError(`port ${mapping.containerPort}/${mapping.proto}: only tcp is published`);
  for (const [name, v] of [['host port', mapping.hostPort], ['container port', mapping.containerPort]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 65535 || (name === 'container port' && v === 0)) throw new InvalidArgumentError(`invalid ${name}: ${v}`);
  }
  return mapping.hostIp || '0.0.0.0';
}

/** Listens in the host's namespace; a port in use is a ConflictError with moby's wording. */
async function listen(mapping: PortMapping, opts: { workerPath?: string; pool?: WorkerPool }): Promise<{ session: WorkerSession; hostIp: string; port: number }> {
  const hostIp = checkMapping(mapping);
  const session = new WorkerSession({ kind: 'publish', pid: 0, hostIp, hostPort: mapping.hostPort, containerPort: mapping.containerPort }, { workerPath: opts.workerPath, pool: opts.pool });
  const first = await session.next(['listening', 'failed']);
  if (first.type === 'failed') {
    await session.terminate();
    throw first.failure.code === 'EADDRINUSE' ? new ConflictError(first.failure.message) : new ContainerSetupError(first.failure);
  }
  return { session, hostIp, port: first.port };
}

function closer(session: WorkerSession): () => Promise<void> {
  let closed: Promise<void> | undefined;
  return () => {
    closed ??= (async () => {
      session.post({ type: 'close' });
      await Promise.race([session.exited.catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
      await session.terminate();
    })();
    return closed;
  };
}

/**
 * Binds the host port now, before the container's process exists (Docker binds its ports
 * before the start, so a taken one fails it before the user's command runs); `attach(pid)`
 * then serves the container. Connections that arrive in between wait for the attach.
 */
export async function reservePort(mapping: PortMapping, opts: { workerPath?: string; pool?: WorkerPool } = {}): Promise<ReservedPort> {
  const { session, hostIp, port } = await listen(mapping, opts);
  let attached: Promise<void> | undefined;
  return {
    hostIp,
    hostPort: port,
    containerPort: mapping.containerPort,
    close: closer(session),
    attach(pid) {
      attached ??= (async () => {
        session.post({ type: 'join', pid });
        const r = await session.next(['joined', 'failed']);
        if (r.type === 'failed') throw new ContainerSetupError(r.failure);
      })();
      return attached;
    },
  };
}
