// cgroup v2: one unified tree. Controllers must be enabled in the parent's
// cgroup.subtree_control (root, then slipway/) before a child can use them; slipway/ itself
// holds no processes, which the "no internal processes" rule requires.
import path from 'node:path';
import type { LinuxResources } from '../container/spec';
import { CgroupImpl } from './cgroup';
import { nodeCgroupFs } from './fs';
import { checkCgroupId, SLIPWAY_PARENT, type Cgroup, type CgroupFs, type Cgroups } from './types';

export const V2_CONTROLLERS = ['memory', 'cpu', 'pids', 'io'] as const;

export class CgroupsV2 implements Cgroups {
  readonly version = 2 as const;
  constructor(readonly root: string, private readonly fs: CgroupFs = nodeCgroupFs) {}

  private make(id: string): CgroupImpl {
    checkCgroupId(id);
    const dir = path.join(this.root, SLIPWAY_PARENT, id);
    // The freezer is core v2 (cgroup.freeze), always there.
    return new CgroupImpl(id, 2, { memory: dir, cpu: dir, cpuacct: dir, pids: dir, freezer: dir, blkio: dir }, this.fs);
  }

  /** Enables our controllers for the children of root and of slipway/ (those the host has). */
  private enableControllers(): void {
    const available = (this.fs.read(path.join(this.root, 'cgroup.controllers')) ?? '').trim().split(/\s+/);
    const wanted = V2_CONTROLLERS.filter((c) => available.includes(c));
    if (wanted.length === 0) return;
    const line = wanted.map((c) => `+${c}`).join(' ');
    const parent = path.join(this.root, SLIPWAY_PARENT);
    this.fs.mkdir(parent);
    for (const dir of [this.root, parent]) {
      const enabled = (this.fs.read(path.join(dir, 'cgroup.subtree_control')) ?? '').trim().split(/\s+/);
      if (wanted.every((c) => enabled.includes(c))) continue;
      this.fs.write(path.join(dir, 'cgroup.subtree_control'), line);
    }
  }

  create(id: string, resources?: LinuxResources): Cgroup {
    this.enableControllers();
    const cg = this.make(id);
    cg.create();
    try {
      cg.apply(resources);
    } catch (err) {
      this.fs.rmdir(cg.dirs[0]);
      throw err;
    }
    return cg;
  }

  open(id: string): Cgroup {
    return this.make(id);
  }

  exists(id: string): boolean {
    return this.fs.exists(this.make(id).dirs[0]);
  }
}
