// CPU controller: Docker's --cpus (NanoCpus, turned into quota/period by the config layer),
// --cpu-quota/--cpu-period, --cpu-shares; usage and throttling for stats.
import type { LinuxResources } from '../../container/spec';
import { parseKeyValues } from '../fs';
import type { CgroupStats, CgroupVersion } from '../types';
import type { CgroupWrite } from './memory';

export const CPU_FILES = {
  1: { shares: 'cpu.shares', period: 'cpu.cfs_period_us', quota: 'cpu.cfs_quota_us', stat: 'cpu.stat' },
  2: { weight: 'cpu.weight', max: 'cpu.max', stat: 'cpu.stat' },
} as const;

/** v1 keeps CPU time in a separate controller (cpuacct), mounted apart from cpu on some hosts. */
export const CPUACCT_FILES = { usage: 'cpuacct.usage', stat: 'cpuacct.stat' } as const;

/** Kernel USER_HZ: cpuacct.stat counts in these ticks (100 on every Linux ABI we run on). */
const USER_HZ = 100;
const DEFAULT_PERIOD_US = 100_000;

/**
 * cpu.shares [2, 262144] → cpu.weight [1, 10000], the way current runc converts
 * (opencontainers/cgroups ConvertCPUSharesToCgroupV2Value): a curve through 2→1, 1024→100
 * and 262144→10000, so that the default 1024 shares maps to the default weight 100.
 */
export function sharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  if (shares <= 2) return 1;
  if (shares >= 262144) return 10000;
  const l = Math.log2(shares);
  const exponent = (l * l + 125 * l) / 612 - 7 / 34;
  return Math.ceil(10 ** exponent);
}

export function cpuWrites(version: CgroupVersion, res: LinuxResources['cpu']): CgroupWrite[] {
  if (!res) return [];
  const out: CgroupWrite[] = [];
  if (version === 1) {
    const f = CPU_FILES[1];
    if (res.shares) out.push({ file: f.shares, value: String(res.shares) });
    // The period goes first: the kernel checks quota against the period already in place.
    if (res.period) out.push({ file: f.period, value: String(res.period) });
    if (res.quota) out.push({ file: f.quota, value: String(res.quota) });
    return out;
  }
  const f = CPU_FILES[2];
  if (res.shares) out.push({ file: f.weight, value: String(sharesToWeight(res.shares)) });
  if (res.quota || res.period) {
    const quota = res.quota && res.quota > 0 ? String(res.quota) : 'max';
    out.push({ file: f.max, value: `${quota} ${res.period || DEFAULT_PERIOD_US}` });
  }
  return out;
}

/**
 * v1: `read` reads the cpu hierarchy, `readAcct` the cpuacct one (the same directory where
 * they are co-mounted). v2: both come from cpu.stat.
 */
export function readCpuStats(
  version: CgroupVersion,
  read: (file: string) => string | undefined,
  readAcct: (file: string) => string | undefined = read,
): CgroupStats['cpu'] {
  const stat = parseKeyValues(read(CPU_FILES[version].stat));
  if (version === 2) {
    return {
      totalNs: (stat.usage_usec ?? 0) * 1000,
      userNs: (stat.user_usec ?? 0) * 1000,
      systemNs: (stat.system_usec ?? 0) * 1000,
      throttling: { periods: stat.nr_periods ?? 0, throttledPeriods: stat.nr_throttled ?? 0, throttledTimeNs: (stat.throttled_usec ?? 0) * 1000 },
    };
  }
  const acct = parseKeyValues(readAcct(CPUACCT_FILES.stat));
  const tick = 1e9 / USER_HZ;
  return {
    totalNs: Number((readAcct(CPUACCT_FILES.usage) ?? '0').trim()) || 0,
    userNs: (acct.user ?? 0) * tick,
    systemNs: (acct.system ?? 0) * tick,
    throttling: { periods: stat.nr_periods ?? 0, throttledPeriods: stat.nr_throttled ?? 0, throttledTimeNs: stat.throttled_time ?? 0 },
  };
}
