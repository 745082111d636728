// The containers part's Worker pool, held only while containers are being worked on. A pool
// keeps two idle Workers with koffi loaded (one with a pre-started init, a Node process of its
// own): ~12 MB of the service's RSS each on Node 24, and ~50 MB more for the init. Measured
// (bench/RESULTS.md, service memory): a service that had run one container sat at ~113 MB on
// Node 24 with its pool, against the 80 MB target. So the pool is made for the first job and
// released after IDLE_RELEASE_MS without one; the first job after that starts its Worker (and
// init) cold, as every job did before there was a pool, and makes the pool again.
//
// A release also reaps the pre-started init (orphans.ts), lets V8 give back the ended heaps'
// pooled pages (memory.ts) and hands the malloc arenas of the ended threads back to the kernel
// (malloc_trim): without those two, ~13 MB of the RSS stayed on Node 24.
import type { Syscalls } from '../../linux/syscalls';
import type { WorkerPool } from '../../container/start/session';
import { collectAllGarbage } from '../memory';
import { orphanedChildren, reap, threadIds, viewProcess } from './orphans';

/** Long enough that back-to-back commands (and benchmarks) always find a warm pool. */
export const IDLE_RELEASE_MS = 15_000;

export type PoolSys = Pick<Syscalls, 'pidfdOpen' | 'waitPidfd' | 'close' | 'mallocTrim'>;

export class IdlePool {
  private pool: WorkerPool | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private releasing: Promise<void> = Promise.resolve();

  constructor(
    private readonly make: () => WorkerPool,
    private readonly sys: PoolSys,
    private readonly opts: { idleMs?: number; onError?: (context: string, err: unknown) => void; collectGarbage?: () => void } = {},
  ) {}

  /** The pool for a job that starts now (made if there is none); the idle clock restarts. */
  get(): WorkerPool | undefined {
    if (this.closed) return undefined;
    this.pool ??= this.make();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.releasing = this.release(); }, this.opts.idleMs ?? IDLE_RELEASE_MS);
    this.timer.unref();
    return this.pool;
  }

  /** True while a pool is held. */
  get holding(): boolean {
    return this.pool !== undefined;
  }

  /** The release under way (or the last one), for tests. */
  get released(): Promise<void> {
    return this.releasing;
  }

  /**
   * Ends the idle Workers. Workers already taken by a job are not the pool's any more and run
   * on; a pre-started init dies with its Worker (parent-death signal) and is reaped here.
   */
  async release(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const pool = this.pool;
    this.pool = undefined;
    if (!pool) return;
    try {
      const before = viewProcess();
      await pool.close();
      // The main thread's tid is the pid; its namespace is the process's own.
      const orphans = orphanedChildren(before, threadIds(), before.threads.get(process.pid) ?? '');
      if (!(await reap(this.sys, orphans))) this.opts.onError?.('idle pool', new Error(`pre-started inits ${orphans.join(', ')} did not exit`));
      // The collection first: what it frees outside the heap is malloc's to give back.
      (this.opts.collectGarbage ?? collectAllGarbage)();
      this.sys.mallocTrim();
    } catch (err) {
      this.opts.onError?.('idle pool', err);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.releasing;
    await this.release();
  }
}
