// cgroup v1: one hierarchy per controller under the root (/sys/fs/cgroup/memory, .../cpu, ...).
// Where cpu and cpuacct are co-mounted (cpu -> cpu,cpuacct symlinks) both names lead to the
// same directory; `realpath` folds them so the pid is written once per hierarchy.
import fs from 'node:fs';
import path from 'node:path';
import type { LinuxResources } from '../container/spec';
import { CgroupImpl, type Controller } from './cgroup';
import { nodeCgroupFs } from './fs';
import { checkCgroupId, SLIPWAY_PARENT, type Cgroup, type CgroupFs, type Cgroups } from './types';

/**
 * The hierarchies a container joins. cpuset is left out on purpose: a new v1 cpuset cgroup
 * starts with empty cpuset.cpus/mems and refuses tasks until they are copied from the parent.
 * blkio is joined for its byte counters only (stats' BLOCK I/O): nothing is written there.
 */
export const V1_CONTROLLERS: readonly Controller[] = ['memory', 'cpu', 'cpuacct', 'pids', 'freezer', 'blkio'];

export class CgroupsV1 implements Cgroups {
  readonly version = 1 as const;
  private hierarchies: Array<[Controller, string]> | undefined;
  constructor(readonly root: string, private readonly fs: CgroupFs = nodeCgroupFs) {}

  /**
   * The real directory of each controller's hierarchy, looked up once: every start, exec,
   * stats and rm asks, and ten stat/realpath calls each time showed in the service's profile.
   */
  private hierarchyDirs(): Array<[Controller, string]> {
    this.hierarchies ??= V1_CONTROLLERS.flatMap((c): Array<[Controller, string]> => {
      const hierarchy = path.join(this.root, c);
      return this.fs.exists(hierarchy) ? [[c, fs.realpathSync(hierarchy)]] : [];
    });
    return this.hierarchies;
  }

  private make(id: string): CgroupImpl {
    checkCgroupId(id);
    const dirs: Partial<Record<Controller, string>> = {};
    for (const [c, dir] of this.hierarchyDirs()) dirs[c] = path.join(dir, SLIPWAY_PARENT, id);
    return new CgroupImpl(id, 1, dirs, this.fs);
  }

  create(id: string, resources?: LinuxResources): Cgroup {
    const cg = this.make(id);
    cg.create();
    try {
      cg.apply(resources);
    } catch (err) {
      for (const d of [...cg.dirs].reverse()) this.fs.rmdir(d);
      throw err;
    }
    return cg;
  }

  open(id: string): Cgroup {
    return this.make(id);
  }

  exists(id: string): boolean {
    return this.make(id).dirs.some((d) => this.fs.exists(d));
  }
}
