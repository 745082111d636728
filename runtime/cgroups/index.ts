// Public surface of runtime/cgroups.
export type { BlkioEntry, Cgroup, Cgroups, CgroupFs, CgroupStats, CgroupVersion } from './types';
export { detectCgroups, detectCgroupVersion } from './detect';
export { CgroupsV1 } from './v1';
export { CgroupsV2 } from './v2';
export { nodeCgroupFs } from './fs';
export { sharesToWeight } from './controllers/cpu';
export { parseNetDev, toDockerStats, type DockerStats, type NetworkJson } from './docker-stats';
