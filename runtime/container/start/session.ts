// The main thread's end of one container-worker: posts the job, hands out the worker's events
// one step at a time (an event not allowed at the step is a ProtocolError naming what was
// expected), and exposes the process's exit.
import { Worker } from 'node:worker_threads';
import { bundlePath } from '../../paths';
import type { NamespaceType } from '../spec';
import { expectMessage, namespaceKey, prewarmKey, type MainMessage, type PooledWorker, type WorkerEvent, type WorkerJob } from './protocol';

/**
 * The worker bundle is plain JavaScript: it must not inherit the service's execArgv (under tsx
 * in tests that is a TypeScript loader that costs each Worker hundreds of milliseconds).
 */
const WORKER_OPTIONS: { execArgv: string[]; stdout: boolean; stderr: boolean } = { execArgv: [], stdout: false, stderr: false };

export interface ExitStatus { exitCode: number; signal?: NodeJS.Signals }

type Waiter = { resolve: (e: WorkerEvent) => void; reject: (err: unknown) => void };

export class WorkerSession {
  private readonly worker: Worker;
  private readonly queue: WorkerEvent[] = [];
  private waiter: Waiter | undefined;
  private failure: unknown;
  readonly exited: Promise<ExitStatus>;

  constructor(job: WorkerJob, opts: { workerPath?: string; pool?: WorkerPool } = {}) {
    const pooled = opts.pool?.take(job);
    this.worker = pooled ?? new Worker(opts.workerPath ?? bundlePath('container-worker.js'), { workerData: job, ...WORKER_OPTIONS });
    if (pooled) pooled.postMessage({ type: 'job', job } satisfies MainMessage);
    let settle!: (s: ExitStatus) => void;
    let fail!: (err: unknown) => void;
    this.exited = new Promise<ExitStatus>((resolve, reject) => { settle = resolve; fail = reject; });
    this.exited.catch(() => undefined); // observed through next() as well
    const onGone = (err: unknown) => {
      this.failure = err;
      fail(err);
      this.waiter?.reject(err);
      this.waiter = undefined;
    };
    const onExit = (code: number) => onGone(new Error(`container worker ended (code ${code}) before the process exited`));
    const onMessage = (e: WorkerEvent) => {
      if (e.type === 'exited') {
        settle(e.signal ? { exitCode: 128 + signalNumber(e.signal), signal: e.signal as NodeJS.Signals } : { exitCode: e.exitCode ?? 0 });
        // The job is over: a pre-warmed Worker may go back to its pool (WorkerPool), with
        // no listener of this session left on it.
        this.worker.off('message', onMessage).off('error', onGone).off('exit', onExit);
      }
      this.push(e);
    };
    this.worker.on('message', onMessage);
    this.worker.on('error', onGone);
    this.worker.on('exit', onExit);
  }

  private push(e: WorkerEvent): void {
    if (this.waiter) { const w = this.waiter; this.waiter = undefined; w.resolve(e); } else this.queue.push(e);
  }

  /** The next event, which must be one of `expected`. */
  async next<T extends WorkerEvent['type']>(expected: readonly T[]): Promise<Extract<WorkerEvent, { type: T }>> {
    const e = this.queue.shift() ?? await new Promise<WorkerEvent>((resolve, reject) => {
      if (this.failure !== undefined) reject(this.failure);
      else this.waiter = { resolve, reject };
    });
    return expectMessage<WorkerEvent, T>('the container worker', e, expected);
  }

  post(msg: MainMessage): void { this.worker.postMessage(msg); }

  /** Lets the service exit while the process runs (it is reparented, not killed). */
  unref(): void { this.worker.unref(); }

  terminate(): Promise<number> { return this.worker.terminate(); }
}

export interface PoolOptions {
  workerPath?: string;
  /** Idle Workers with koffi loaded, for exec, publish and any start (default 1). */
  plain?: number;
  /**
   * Idle Workers that have also unshared `namespaces` and spawned an init that waits for its
   * config: a start job with exactly that namespace set skips both Node start-ups.
   */
  prewarm?: { namespaces: NamespaceType[]; count?: number; nodePath?: string; initPath?: string };
  /**
   * Milliseconds between taking a Worker and starting its replacement (default
   * REFILL_DELAY_MS); the replacement starts sooner once the taken Worker's job has ended.
   */
  refillDelayMs?: number;
}

/**
 * A replacement is two Node start-ups (a Worker loading koffi, and for a pre-warmed one an
 * init process): ~100 ms of CPU on Node 20. Started at once, it competed with the very run
 * that took the Worker on this 2-core machine — `run --rm true` saw its exit ~80 ms late.
 * So it waits until the job ended (plus a moment for the manager's exit bookkeeping and the
 * reply), or REFILL_DELAY_MS for a job that goes on (run -d, a port proxy). A take while the
 * replacement waits starts it at once: the caller would otherwise start a cold Worker.
 */
export const REFILL_DELAY_MS = 100;
/** A pre-warmed Worker's container that exits within this comes back before it is replaced. */
const WARM_RETURN_MS = REFILL_DELAY_MS;
const REFILL_AFTER_EXIT_MS = 20;
/**
 * Takes closer together than this are a burst (a script, a benchmark): there the next job comes
 * before a deferred replacement has booted and waits for it (docker CLI `run --rm`, back to back:
 * 125 ms deferred, 99 ms refilled at the take; 0.8 s apart: 99 ms deferred, 148 ms at the take),
 * so within a burst the replacement starts at the take.
 */
const BURST_MS = 500;

/**
 * Workers started ahead of time (DESIGN.md fact 11: Node's start-up is the cost to beat). Idle
 * Workers are unref'd, so the pool never keeps the service alive. A plain Worker is used for
 * one job and replaced (an exec changes its thread's credentials for good). A pre-warmed one
 * comes back when its container exits ("idle", see container-worker): if the pool still lacks
 * it, it pre-warms again ("prewarm") — a new init, but no new Worker, ~30 ms of CPU less per
 * `run --rm`; its replacement is planned only in case it is not back within WARM_RETURN_MS. A
 * pre-warmed init costs one idle Node process.
 */
export class WorkerPool {
  private readonly plain: Worker[] = [];
  private readonly warm: Worker[] = [];
  private readonly key: string | undefined;
  private closed = false;
  private refill: NodeJS.Timeout | undefined;
  private refillAt = Infinity;
  private lastTake = -Infinity;
  /** The refill planned by a taken Worker's end, dropped if it comes back (comeBack). */
  private readonly afterJob = new Map<Worker, () => void>();
  /** Workers started and pre-warmed Workers taken back, since the pool was made. */
  readonly counts = { started: 0, reused: 0 };

  constructor(private readonly opts: PoolOptions = {}) {
    this.key = opts.prewarm ? namespaceKey(opts.prewarm.namespaces) : undefined;
    this.fill();
  }

  private make(prewarm: boolean): Worker {
    const p = this.opts.prewarm;
    const data: PooledWorker = prewarm && p
      ? { pooled: true, prewarm: { namespaces: p.namespaces, nodePath: p.nodePath ?? process.execPath, initPath: p.initPath ?? bundlePath('init.js') } }
      : { pooled: true };
    const w = new Worker(this.opts.workerPath ?? bundlePath('container-worker.js'), { workerData: data, ...WORKER_OPTIONS });
    this.counts.started++;
    w.unref();
    const list = prewarm ? this.warm : this.plain;
    // An idle Worker that dies (a crashed pre-started init, an error) just leaves the pool.
    w.once('exit', () => { const i = list.indexOf(w); if (i >= 0) list.splice(i, 1); });
    w.on('error', () => undefined);
    if (prewarm) w.on('message', (e: WorkerEvent) => { if (e.type === 'idle') this.comeBack(w); });
    return w;
  }

  /** A pre-warmed Worker whose container has exited: taken back while the pool lacks one. */
  private comeBack(w: Worker): void {
    const onExit = this.afterJob.get(w);
    if (onExit) w.off('exit', onExit);
    this.afterJob.delete(w);
    if (this.closed || this.warm.length >= (this.opts.prewarm?.count ?? 1)) {
      void w.terminate();
      return;
    }
    w.unref();
    this.warm.push(w);
    this.counts.reused++;
    w.postMessage({ type: 'prewarm' } satisfies MainMessage);
  }

  private fill(): void {
    if (this.refill) clearTimeout(this.refill);
    this.refill = undefined;
    this.refillAt = Infinity;
    if (this.closed) return;
    while (this.plain.length < (this.opts.plain ?? 1)) this.plain.push(this.make(false));
    while (this.key !== undefined && this.warm.length < (this.opts.prewarm?.count ?? 1)) this.warm.push(this.make(true));
  }

  /** Plans the refill `ms` from now, unless one is planned sooner. */
  private planRefill(ms: number): void {
    if (this.closed || Date.now() + ms >= this.refillAt) return;
    if (this.refill) clearTimeout(this.refill);
    this.refillAt = Date.now() + ms;
    this.refill = setTimeout(() => this.fill(), ms);
    this.refill.unref();
  }

  /** An idle Worker fit for `job`, or undefined (the caller starts a fresh one). */
  take(job: WorkerJob): Worker | undefined {
    if (this.closed) return undefined;
    const warmFits = job.kind === 'start' && this.key !== undefined && prewarmKey(job.spec) === this.key;
    if (this.refill && (warmFits ? this.warm : this.plain).length === 0) this.fill();
    const list = warmFits && this.warm.length > 0 ? this.warm : this.plain;
    const w = list.shift();
    if (w) {
      w.ref();
      const onExit = () => { this.afterJob.delete(w); this.planRefill(REFILL_AFTER_EXIT_MS); };
      w.once('exit', onExit);
      // Only a pre-warmed Worker comes back (comeBack drops this then); the others end.
      if (list === this.warm) this.afterJob.set(w, onExit);
    }
    const burst = performance.now() - this.lastTake < BURST_MS;
    this.lastTake = performance.now();
    // A pre-warmed Worker comes back when its container exits: replaced only if it does not.
    const returns = w !== undefined && list === this.warm;
    this.planRefill(returns ? WARM_RETURN_MS : burst ? 0 : this.opts.refillDelayMs ?? REFILL_DELAY_MS);
    return w;
  }

  /** Ends the idle Workers (and their waiting inits, by their parent-death signal). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.refill) clearTimeout(this.refill);
    await Promise.all([...this.plain.splice(0), ...this.warm.splice(0)].map((w) => w.terminate()));
  }
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
};

/** Shell convention for a death by signal: 128 + its number (SIGKILL → 137). */
export function signalNumber(name: string): number {
  return SIGNALS[name] ?? 0;
}
