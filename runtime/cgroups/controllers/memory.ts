// Memory controller: Docker's --memory, --memory-swap, --memory-reservation; usage and OOM kills.
// OCI's `memory.swap` is memory+swap (v1's memsw semantics); v2 limits swap alone, so it gets
// swap - memory, as runc does (libcontainer/cgroups/utils.go ConvertMemorySwapToCgroupV2Value).
import type { LinuxResources } from '../../container/spec';
import { parseKeyValues, parseLimit } from '../fs';
import type { CgroupStats, CgroupVersion } from '../types';

export const MEMORY_FILES = {
  1: {
    limit: 'memory.limit_in_bytes',
    swap: 'memory.memsw.limit_in_bytes',
    reservation: 'memory.soft_limit_in_bytes',
    usage: 'memory.usage_in_bytes',
    maxUsage: 'memory.max_usage_in_bytes',
    stat: 'memory.stat',
    oom: 'memory.oom_control',
  },
  2: {
    limit: 'memory.max',
    swap: 'memory.swap.max',
    reservation: 'memory.low',
    usage: 'memory.current',
    maxUsage: 'memory.peak',
    stat: 'memory.stat',
    oom: 'memory.events',
  },
} as const;

/** One write into a cgroup file; `optional` writes are skipped where the kernel lacks the file (no swap accounting). */
export interface CgroupWrite { file: string; value: string; optional?: boolean }

// v1 reports "no limit" as a huge page-aligned number (PAGE_COUNTER_MAX * page size).
const V1_UNLIMITED = 2 ** 62;

export function memoryWrites(version: CgroupVersion, res: LinuxResources['memory']): CgroupWrite[] {
  if (!res) return [];
  const files = MEMORY_FILES[version];
  const out: CgroupWrite[] = [];
  const { limit, swap, reservation } = res;
  if (version === 1) {
    // A fresh cgroup is unlimited, so memory goes first and memsw (which must be >= it) after.
    if (limit) out.push({ file: files.limit, value: String(limit) });
    if (swap) out.push({ file: files.swap, value: String(swap), optional: true });
  } else {
    if (limit) out.push({ file: files.limit, value: limit === -1 ? 'max' : String(limit) });
    const v2swap = swapToV2(limit, swap);
    if (v2swap !== undefined) out.push({ file: files.swap, value: v2swap, optional: true });
  }
  if (reservation) out.push({ file: files.reservation, value: version === 2 && reservation === -1 ? 'max' : String(reservation) });
  return out;
}

/** memory+swap (OCI) → swap alone (cgroup v2 memory.swap.max). */
export function swapToV2(limit: number | undefined, swap: number | undefined): string | undefined {
  if (!swap) return undefined;
  if (swap === -1) return 'max';
  if (!limit || limit === -1) throw new Error('cannot set a memory+swap limit without a memory limit');
  if (swap < limit) throw new Error(`memory+swap limit ${swap} must be >= memory limit ${limit}`);
  return String(swap - limit);
}

export function readMemoryStats(version: CgroupVersion, read: (file: string) => string | undefined): CgroupStats['memory'] {
  const files = MEMORY_FILES[version];
  const usage = parseLimit(read(files.usage), files.usage) ?? 0;
  const maxUsage = parseLimit(read(files.maxUsage), files.maxUsage);
  let limit = parseLimit(read(files.limit), files.limit);
  if (version === 1 && limit !== undefined && limit >= V1_UNLIMITED) limit = undefined;
  return { usage, maxUsage, limit, stats: parseKeyValues(read(files.stat)) };
}

/** The OOM killer's count: v1 memory.oom_control "oom_kill N", v2 memory.events "oom_kill N". */
export function readOomKills(version: CgroupVersion, read: (file: string) => string | undefined): number {
  return parseKeyValues(read(MEMORY_FILES[version].oom)).oom_kill ?? 0;
}
