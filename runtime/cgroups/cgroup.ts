// One container's cgroup, for either version: the version decides the directory of each
// controller (v1: one hierarchy per controller; v2: one directory for all) and which file
// table the controller modules use. Everything else — apply, stats, freeze, remove — is the same.
import path from 'node:path';
import { hasEnded, parseProcStat } from '../common/proc-stat';
import type { LinuxResources } from '../container/spec';
import { readBlkioStats } from './controllers/blkio';
import { cpuWrites, readCpuStats } from './controllers/cpu';
import { freezeWrite, FREEZER_FILES, parseFreezerState } from './controllers/freezer';
import { memoryWrites, readMemoryStats, readOomKills, type CgroupWrite } from './controllers/memory';
import { pidsWrites, readPidsStats } from './controllers/pids';
import { parsePids, sleep } from './fs';
import type { Cgroup, CgroupFs, CgroupStats, CgroupVersion } from './types';

export type Controller = 'memory' | 'cpu' | 'cpuacct' | 'pids' | 'freezer' | 'blkio';

export class CgroupImpl implements Cgroup {
  /** Unique directories, in creation order (v1: one per hierarchy; v2: one). */
  readonly dirs: string[];

  constructor(
    readonly id: string,
    readonly version: CgroupVersion,
    /** The directory of each controller; missing = the host has no such controller. */
    private readonly controllerDirs: Partial<Record<Controller, string>>,
    private readonly fs: CgroupFs,
  ) {
    this.dirs = [...new Set(Object.values(controllerDirs))];
  }

  get procsFiles(): string[] {
    return this.dirs.map((d) => path.join(d, 'cgroup.procs'));
  }

  create(): void {
    for (const d of this.dirs) this.fs.mkdir(d);
  }

  apply(resources: LinuxResources | undefined): void {
    if (!resources) return;
    const plan: Array<[Controller, CgroupWrite[]]> = [
      ['memory', memoryWrites(this.version, resources.memory)],
      ['cpu', cpuWrites(this.version, resources.cpu)],
      ['pids', pidsWrites(resources.pids)],
    ];
    for (const [controller, writes] of plan) {
      if (writes.length === 0) continue;
      const dir = this.controllerDirs[controller];
      if (!dir) throw new Error(`cgroup controller "${controller}" is not available on this host`);
      for (const w of writes) {
        const file = path.join(dir, w.file);
        if (w.optional && !this.fs.exists(file)) continue;
        try {
          this.fs.write(file, w.value);
        } catch (err) {
          throw new Error(`cannot write "${w.value}" to ${file}`, { cause: err });
        }
      }
    }
  }

  private reader(controller: Controller): (file: string) => string | undefined {
    const dir = this.controllerDirs[controller];
    return (file) => (dir ? this.fs.read(path.join(dir, file)) : undefined);
  }

  stats(): CgroupStats {
    return {
      memory: readMemoryStats(this.version, this.reader('memory')),
      cpu: readCpuStats(this.version, this.reader('cpu'), this.reader('cpuacct')),
      pids: readPidsStats(this.reader('pids')),
      blkio: readBlkioStats(this.version, this.reader('blkio')),
    };
  }

  pids(): number[] {
    const all = new Set<number>();
    for (const f of this.procsFiles) for (const p of parsePids(this.fs.read(f))) all.add(p);
    // An exec worker thread of this very process visits the container's cgroups for the
    // moment of a spawn (self-move.ts), and cgroup.procs lists a thread's process: the
    // service is never one of the container's processes (never killed by remove()).
    all.delete(process.pid);
    return [...all].sort((a, b) => a - b);
  }

  oomKillCount(): number {
    return readOomKills(this.version, this.reader('memory'));
  }

  isFrozen(): boolean {
    return this.freezerState() === 'frozen';
  }

  private freezerState() {
    return parseFreezerState(this.version, this.reader('freezer')(FREEZER_FILES[this.version].state));
  }

  private setFrozen(frozen: boolean): void {
    const dir = this.controllerDirs.freezer;
    if (!dir) throw new Error('cgroup controller "freezer" is not available on this host');
    const w = freezeWrite(this.version, frozen);
    this.fs.write(path.join(dir, w.file), w.value);
  }

  async freeze(timeoutMs = 5000): Promise<void> {
    this.setFrozen(true);
    const deadline = Date.now() + timeoutMs;
    while (this.freezerState() !== 'frozen') {
      if (Date.now() > deadline) {
        this.setFrozen(false);
        throw new Error(`cgroup ${this.id} did not freeze within ${timeoutMs} ms`);
      }
      await sleep(10);
    }
  }

  async thaw(): Promise<void> {
    this.setFrozen(false);
  }

  private isZombie(pid: number): boolean {
    const text = this.fs.read(`/proc/${pid}/stat`);
    const stat = text ? parseProcStat(text) : undefined;
    return stat !== undefined && hasEnded(stat);
  }

  async remove(timeoutMs = 10000): Promise<void> {
    // Frozen tasks cannot act on SIGKILL until thawed.
    if (this.controllerDirs.freezer && this.freezerState() !== 'thawed') this.setFrozen(false);
    const deadline = Date.now() + timeoutMs;
    // A zombie has exited (SIGKILL cannot do more); its parent, maybe the host's init, reaps it.
    const living = () => this.pids().filter((pid) => !this.isZombie(pid));
    for (let left = living(); left.length > 0; left = living()) {
      if (Date.now() > deadline) throw new Error(`processes ${left.join(', ')} of cgroup ${this.id} did not exit`);
      for (const pid of left) this.fs.kill(pid, 'SIGKILL');
      await sleep(10);
    }
    // A zombie stays in cgroup.procs until reaped, and rmdir says EBUSY meanwhile.
    for (const dir of [...this.dirs].reverse()) {
      for (;;) {
        try {
          this.fs.rmdir(dir);
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EBUSY' || Date.now() > deadline) {
            throw new Error(`cannot remove cgroup ${dir}`, { cause: err });
          }
          await sleep(10);
        }
      }
    }
  }
}
