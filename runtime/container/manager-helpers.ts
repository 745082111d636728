// Small pure pieces of the lifecycle manager: the layout of a container's directory, the
// restart-policy decision and the mapping from a stored record's Mounts back to the config
// layer's resolved mounts.
import path from 'node:path';
import type { CgroupStats } from '../cgroups';
import type { ResolvedMount } from './config';
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
