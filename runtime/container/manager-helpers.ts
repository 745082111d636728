// Small pieces of the lifecycle manager: the layout of a container's directory, the
// restart-policy decision, the mapping from a stored record's Mounts back to the config
// layer's resolved mounts, and the reserve-then-attach steps of published ports.
import path from 'node:path';
import type { CgroupStats } from '../cgroups';
import { describe } from '../errors';
import { shortId } from '../image/layers';
import { parseNetworkMode, portMappings, type HostConfig, type PortMapping, type ResolvedMount } from './config';
import type { PortPublisher, PublishedPort, ReservedPort } from './manager-types';
import type { Rollback } from './rollback';
import type { ContainerRecord } from './state';

/** Docker's restart policies, decided after an exit the user did not ask for. */
export function shouldRestart(rec: ContainerRecord): boolean {
  const policy = rec.hostConfig.RestartPolicy?.Name || 'no';
  const max = rec.hostConfig.RestartPolicy?.MaximumRetryCount ?? 0;
  if (policy === 'always' || policy === 'unless-stopped') return true;
  return policy === 'on-failure' && rec.state.exitCode !== 0 && (max === 0 || rec.restartCount < max);
}

/** Inspect's Mounts back to the config layer's resolved mounts (what start needs). */
export function toResolved(m: ContainerRecord['mounts'][number]): ResolvedMount {
  if (m.Type === 'tmpfs') return { type: 'tmpfs', destination: m.Destination, options: m.Mode ? m.Mode.split(',') : [] };
  if (m.Type === 'bind') return { type: 'bind', source: m.Source, destination: m.Destination, readOnly: !m.RW, propagation: (m.Propagation || 'rprivate') as 'rprivate' };
  return { type: 'volume', name: m.Name, destination: m.Destination, readOnly: !m.RW, noCopy: false, hostPath: m.Source, volumeName: m.Name };
}

/** Files and directories of one container under <state>/containers/<id>/. */
export function containerPaths(dir: string, id: string) {
  return {
    dir,
    /** Init layer (hostname, hosts, resolv.conf), the overlay's top lower dir. */
    init: path.join(dir, 'init'),
    upper: path.join(dir, 'diff'),
    work: path.join(dir, 'work'),
    merged: path.join(dir, 'merged'),
    /** Raw output the kernel writes into; the log follower turns it into the json log. */
    stdout: path.join(dir, 'stdout'),
    stderr: path.join(dir, 'stderr'),
    offsets: path.join(dir, 'log-offsets.json'),
    log: path.join(dir, `${id}-json.log`),
  };
}

/** Stats of a container that is not running (Docker answers with zeros too). */
export const EMPTY_STATS: CgroupStats = {
  memory: { usage: 0, limit: undefined, stats: {} },
  cpu: { totalNs: 0, userNs: 0, systemNs: 0, throttling: { periods: 0, throttledPeriods: 0, throttledTimeNs: 0 } },
  pids: { current: 0, limit: undefined },
};

/**
 * The exit code Docker records for a start that failed: the start-up's ContainerSetupError
 * carries it (127 not found, 126 not executable); otherwise it is read from the message.
 */
export function startFailureExitCode(err: unknown): number {
  const own = (err as { exitCode?: unknown } | undefined)?.exitCode;
  if (typeof own === 'number') return own;
  const msg = describe(err);
  return /not found|no such file/i.test(msg) ? 127 : /permission denied|not executable/i.test(msg) ? 126 : 128;
}

/**
 * The bindings a start publishes. As dockerd: "Published ports are discarded when using host
 * network mode" — the container's ports are the host's already, and a proxy on the same port
 * would take it from the container's own listener.
 */
export function publishedMappings(hc: HostConfig): PortMapping[] {
  return parseNetworkMode(hc.NetworkMode).kind === 'host' ? [] : portMappings(hc);
}

/**
 * Binds every published host port of `owner` (before the start); each registers its undo, so
 * a port in use (409) undoes the rest. Without a publisher nothing is bound.
 */
export async function reserveAll(ports: PortPublisher | undefined, mappings: readonly PortMapping[], undo: Rollback, owner: { id: string; name: string }): Promise<ReservedPort[]> {
  const out: ReservedPort[] = [];
  if (mappings.length === 0 || !ports) return out;
  for (const m of mappings) {
    const port = await ports.reserve(m, owner);
    undo.add(`port ${port.hostPort}`, () => port.close());
    out.push(port);
  }
  return out;
}

/** What a container's record keeps of the ports that serve it (inspect, ps, `docker port`). */
export function recordedPorts(ports: readonly PublishedPort[]): ContainerRecord['ports'] {
  return ports.map((p) => ({ hostIp: p.hostIp, hostPort: p.hostPort, containerPort: p.containerPort, proto: 'tcp' as const }));
}

/**
 * Points reserved ports at the container whose PID 1 is `pid`. A command that already ended
 * has no network namespace left to serve (`alive` false): its ports are closed, no error.
 */
export async function attachAll(ports: readonly ReservedPort[], pid: number, alive: () => boolean): Promise<PublishedPort[]> {
  try {
    for (const p of ports) await p.attach(pid);
    return [...ports];
  } catch (err) {
    if (alive()) throw err;
    await Promise.all(ports.map((p) => p.close()));
    return [];
  }
}

/**
 * The overlay's lower dirs by the image store's short links, as Docker's overlay2 does
 * (`<store>/layers/<hex>/diff` → `<store>/l/<26 chars>`), so 100+ layers fit in the mount
 * options page. Only where the link exists (`exists` follows it); the record keeps the real dirs.
 */
export function linkedLowerDirs(dirs: readonly string[], exists: (p: string) => boolean): string[] {
  return dirs.map((d) => {
    const m = /^(.*)\/layers\/([a-f0-9]{64})\/diff$/.exec(d);
    if (!m) return d;
    const link = `${m[1]}/l/${shortId(`sha256:${m[2]}`)}`;
    return exists(link) ? link : d;
  });
}
