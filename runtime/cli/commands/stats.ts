// slipway stats: CPU, memory, network and block I/O and pids of containers (docker stats --no-stream style; with
// --no-stream one sample, otherwise refreshed every second until interrupted).
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { bytesSize, humanSizeWithPrecision, renderFormat } from '../format';
import { table } from './table';

interface Sample {
  name: string; id: string;
  cpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage?: number };
  memory_stats: { usage?: number; limit?: number; stats?: Record<string, number> };
  pids_stats: { current?: number };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
  blkio_stats?: { io_service_bytes_recursive?: Array<{ op: string; value: number }> | null };
}

/** docker's "rx / tx" and "read / write" pairs: decimal, 3 significant digits (units.HumanSizeWithPrecision). */
const pair = (a: number, b: number) => `${humanSizeWithPrecision(a, 3)} / ${humanSizeWithPrecision(b, 3)}`;

/** Sums over every interface, and over every device by operation, as the docker CLI does. */
export function ioTotals(s: Pick<Sample, 'networks' | 'blkio_stats'>): { rx: number; tx: number; read: number; write: number } {
  const nets = Object.values(s.networks ?? {});
  const blk = s.blkio_stats?.io_service_bytes_recursive ?? [];
  const sum = (op: string) => blk.filter((e) => e.op.toLowerCase() === op).reduce((n, e) => n + e.value, 0);
  return { rx: nets.reduce((n, i) => n + i.rx_bytes, 0), tx: nets.reduce((n, i) => n + i.tx_bytes, 0), read: sum('read'), write: sum('write') };
}

/**
 * docker CLI's calculateMemUsageUnixNoCache: usage minus the inactive page cache, v1's
 * hierarchical total_inactive_file first, v2's inactive_file otherwise, never below zero.
 */
export function memUsageNoCache(m: Sample['memory_stats']): number {
  const usage = m.usage ?? 0;
  const v1 = m.stats?.total_inactive_file;
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = m.stats?.inactive_file ?? 0;
  return v2 < usage ? usage - v2 : usage;
}

/** docker's CPU % (delta of the container over delta of the system, times the CPUs). */
export function statsRow(s: Sample) {
  const cpuDelta = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
  const sysDelta = (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats.system_cpu_usage ?? 0);
  const cpu = sysDelta > 0 && cpuDelta > 0 ? (cpuDelta / sysDelta) * (s.cpu_stats.online_cpus ?? 1) * 100 : 0;
  const used = memUsageNoCache(s.memory_stats);
  const limit = s.memory_stats.limit ?? 0;
  const io = ioTotals(s);
  return {
    ID: s.id.slice(0, 12), Name: s.name.replace(/^\//, ''), CPUPerc: `${cpu.toFixed(2)}%`,
    MemUsage: `${bytesSize(used)} / ${bytesSize(limit)}`, MemPerc: `${limit ? ((used / limit) * 100).toFixed(2) : '0.00'}%`, NetIO: pair(io.rx, io.tx), BlockIO: pair(io.read, io.write),
    PIDs: String(s.pids_stats.current ?? 0),
  };
}

export const statsCommand: Command = {
  name: 'stats',
  summary: 'Display a live stream of container(s) resource usage statistics',
  usage: [
    'Usage:  slipway stats [OPTIONS] [CONTAINER...]',
    '',
    'Display a live stream of container(s) resource usage statistics',
    '',
    'Options:',
    '  -a, --all             Show all containers (default shows just running)',
    '      --format string   "json" or a template such as {{.CPUPerc}}',
    '      --no-stream       Disable streaming stats and only pull the first result',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, strict: true, allowPositionals: true,
      options: { all: { type: 'boolean', short: 'a' }, format: { type: 'string' }, 'no-stream': { type: 'boolean' } },
    });
    return withClient(ctx, async (api) => {
      // As docker stats: no names means every running container (every one with -a), listed
      // again for each sample so that new ones appear and removed ones go.
      const refs = async () => positionals.length > 0 ? positionals
        : (await api.get<Array<{ Id: string }>>('/containers/json', { query: { all: values.all ? 1 : undefined } })).map((c) => c.Id);
      for (;;) {
        const sample = (ref: string) => api.get<Sample>(`/containers/${encodeURIComponent(ref)}/stats`, { query: { stream: 0 } }).then(statsRow);
        // A listed container removed meanwhile is skipped; a named one that fails is an error.
        const rows = (await Promise.all((await refs()).map((ref) => positionals.length ? sample(ref) : sample(ref).catch(() => undefined))))
          .filter((r) => r !== undefined);
        if (values.format) ctx.stdout.write(rows.map((r) => `${renderFormat(values.format === 'json' ? '{{json .}}' : values.format!, r)}\n`).join(''));
        else ctx.stdout.write(table(['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'], rows.map((r) => [r.ID, r.Name, r.CPUPerc, r.MemUsage, r.MemPerc, r.NetIO, r.BlockIO, r.PIDs])));
        if (values['no-stream']) return 0;
      }
    });
  },
};
