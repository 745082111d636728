// Small pure pieces of the lifecycle manager: the restart-policy decision and the mapping from
// a stored record's Mounts back to the config layer's resolved mounts.
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
