// Cgroup numbers → the JSON of Docker's GET /containers/{id}/stats (API v1.41+ field names).
// `docker stats` computes CPU % as Δtotal_usage / Δsystem_cpu_usage × online_cpus, so each
// sample carries the host's CPU time too, and the previous sample travels as precpu_stats.
// NET I/O comes from the container's network namespace (/proc/<pid>/net/dev), BLOCK I/O from
// the cgroup's blkio/io.stat counters.
import type { BlkioEntry, CgroupStats } from './types';

export interface HostSample {
  /** Host CPU time in ns, from /proc/stat (see systemCpuNs). */
  systemCpuNs: number;
  onlineCpus: number;
  /** Docker reports the host's memory as the limit of an unlimited container. */
  hostMemory: number;
  time: Date;
}

interface CpuJson {
  cpu_usage: { total_usage: number; usage_in_kernelmode: number; usage_in_usermode: number };
  system_cpu_usage: number;
  online_cpus: number;
  throttling_data: { periods: number; throttled_periods: number; throttled_time: number };
}

export interface DockerStats {
  id: string;
  name: string;
  read: string;
  preread: string;
  pids_stats: { current: number; limit?: number };
  blkio_stats: { io_service_bytes_recursive: BlkioEntry[] | null } & Record<string, BlkioEntry[] | null>;
  /** Per interface; absent when the container has none of its own (docker omits it for none/host). */
  networks?: Record<string, NetworkJson>;
  num_procs: number;
  storage_stats: Record<string, never>;
  cpu_stats: CpuJson;
  precpu_stats: CpuJson | Record<string, never>;
  memory_stats: { usage: number; max_usage?: number; limit: number; stats: Record<string, number> };
}

export interface NetworkJson {
  rx_bytes: number; rx_packets: number; rx_errors: number; rx_dropped: number;
  tx_bytes: number; tx_packets: number; tx_errors: number; tx_dropped: number;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * /proc/<pid>/net/dev → docker's `networks`. Loopback is left out: docker reports the
 * container's endpoints only, so a `--network none` container shows 0B / 0B there too.
 */
export function parseNetDev(text: string): Record<string, NetworkJson> {
  const out: Record<string, NetworkJson> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.includes('|')) continue;
    const name = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (name === 'lo' || f.length < 16 || f.some((n) => !Number.isFinite(n))) continue;
    out[name] = {
      rx_bytes: f[0], rx_packets: f[1], rx_errors: f[2], rx_dropped: f[3],
      tx_bytes: f[8], tx_packets: f[9], tx_errors: f[10], tx_dropped: f[11],
    };
  }
  return out;
}

function cpuJson(s: CgroupStats, host: HostSample): CpuJson {
  return {
    cpu_usage: { total_usage: s.cpu.totalNs, usage_in_kernelmode: s.cpu.systemNs, usage_in_usermode: s.cpu.userNs },
    system_cpu_usage: host.systemCpuNs,
    online_cpus: host.onlineCpus,
    throttling_data: {
      periods: s.cpu.throttling.periods,
      throttled_periods: s.cpu.throttling.throttledPeriods,
      throttled_time: s.cpu.throttling.throttledTimeNs,
    },
  };
}

export function toDockerStats(
  container: { id: string; name: string },
  current: { stats: CgroupStats; host: HostSample; networks?: Record<string, NetworkJson> },
  previous?: { stats: CgroupStats; host: HostSample },
): DockerStats {
  const s = current.stats;
  return {
    id: container.id,
    name: container.name.startsWith('/') ? container.name : `/${container.name}`,
    read: current.host.time.toISOString(),
    preread: previous ? previous.host.time.toISOString() : ZERO_TIME,
    pids_stats: s.pids.limit === undefined ? { current: s.pids.current } : { current: s.pids.current, limit: s.pids.limit },
    blkio_stats: { io_service_bytes_recursive: s.blkio?.length ? s.blkio : null, io_serviced_recursive: null },
    ...(current.networks && Object.keys(current.networks).length > 0 ? { networks: current.networks } : {}),
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuJson(s, current.host),
    precpu_stats: previous ? cpuJson(previous.stats, previous.host) : {},
    memory_stats: {
      usage: s.memory.usage,
      ...(s.memory.maxUsage === undefined ? {} : { max_usage: s.memory.maxUsage }),
      limit: Math.min(s.memory.limit ?? current.host.hostMemory, current.host.hostMemory),
      stats: s.memory.stats,
    },
  };
}

/** The "cpu" line of /proc/stat (USER_HZ ticks) → ns, as Docker's getSystemCPUUsage does. */
export function systemCpuNs(procStat: string, userHz = 100): number {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('no "cpu" line in /proc/stat');
  const ticks = line.trim().split(/\s+/).slice(1, 8).reduce((sum, v) => sum + Number(v), 0);
  return (ticks * 1e9) / userHz;
}
