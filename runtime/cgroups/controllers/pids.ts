// Pids controller: Docker's --pids-limit (0 or -1: unlimited); pids.current for stats.
// The file names are the same in v1 and v2.
import type { LinuxResources } from '../../container/spec';
import { parseLimit } from '../fs';
import type { CgroupStats } from '../types';
import type { CgroupWrite } from './memory';

export const PIDS_FILES = { max: 'pids.max', current: 'pids.current' } as const;

export function pidsWrites(res: LinuxResources['pids']): CgroupWrite[] {
  if (!res) return [];
  return [{ file: PIDS_FILES.max, value: res.limit > 0 ? String(res.limit) : 'max' }];
}

export function readPidsStats(read: (file: string) => string | undefined): CgroupStats['pids'] {
  return {
    current: parseLimit(read(PIDS_FILES.current), PIDS_FILES.current) ?? 0,
    limit: parseLimit(read(PIDS_FILES.max), PIDS_FILES.max),
  };
}
