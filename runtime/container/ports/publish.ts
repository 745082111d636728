// publishPort: serve a container's TCP port on the host through a proxy Worker that connects
// from inside the container's network namespace (ports/worker-publish.ts; DESIGN.md fact 8).
import { ConflictError, InvalidArgumentError } from '../../errors';
import { ContainerSetupError } from '../start/protocol';
import { WorkerSession, type WorkerPool } from '../start/session';

export interface PortMapping { hostIp?: string; hostPort: number; containerPort: number; proto?: 'tcp' | 'udp' }

export interface PublishedPort {
  hostIp: string;
  /** The bound host port (the chosen one when hostPort was 0). */
  hostPort: number;
  containerPort: number;
  close(): Promise<void>;
}

export async function publishPort(pid: number, mapping: PortMapping, opts: { workerPath?: string; pool?: WorkerPool } = {}): Promise<PublishedPort> {
  const hostIp = mapping.hostIp || '0.0.0.0';
  if ((mapping.proto ?? 'tcp') !== 'tcp') throw new InvalidArgumentError(`port ${mapping.containerPort}/${mapping.proto}: only tcp is published`);
  for (const [name, v] of [['host port', mapping.hostPort], ['container port', mapping.containerPort]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 65535 || (name === 'container port' && v === 0)) throw new InvalidArgumentError(`invalid ${name}: ${v}`);
  }
  const session = new WorkerSession({ kind: 'publish', pid, hostIp, hostPort: mapping.hostPort, containerPort: mapping.containerPort }, { workerPath: opts.workerPath, pool: opts.pool });
  const first = await session.next(['listening', 'failed']);
  if (first.type === 'failed') {
    await session.terminate();
    throw first.failure.code === 'EADDRINUSE' ? new ConflictError(first.failure.message) : new ContainerSetupError(first.failure);
  }
  let closed: Promise<void> | undefined;
  return {
    hostIp,
    hostPort: first.port,
    containerPort: mapping.containerPort,
    close: () => {
      closed ??= (async () => {
        session.post({ type: 'close' });
        await Promise.race([session.exited.catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
        await session.terminate();
      })();
      return closed;
    },
  };
}
