// Picks the cgroup implementation for a host. A pure v2 host has cgroup.controllers at the
// root; a v1 or hybrid host (v1 controllers plus an often empty cgroup2 at unified/, as on
// this project's CI machine) has per-controller directories, and Docker uses v1 there too.
import path from 'node:path';
import { nodeCgroupFs } from './fs';
import type { CgroupFs, Cgroups, CgroupVersion } from './types';
import { CgroupsV1 } from './v1';
import { CgroupsV2 } from './v2';

export function detectCgroupVersion(root: string, fs: CgroupFs = nodeCgroupFs): CgroupVersion {
  if (fs.exists(path.join(root, 'cgroup.controllers'))) return 2;
  if (fs.exists(path.join(root, 'memory')) || fs.exists(path.join(root, 'cpu'))) return 1;
  throw new Error(`no cgroup hierarchy found at ${root}`);
}

export function detectCgroups(root = '/sys/fs/cgroup', fs: CgroupFs = nodeCgroupFs): Cgroups {
  return detectCgroupVersion(root, fs) === 2 ? new CgroupsV2(root, fs) : new CgroupsV1(root, fs);
}
