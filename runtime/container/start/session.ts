// The main thread's end of one container-worker: posts the job, hands out the worker's events
// one step at a time (an event not allowed at the step is a ProtocolError naming what was
// expected), and exposes the process's exit.
import { Worker } from 'node:worker_threads';
import { bundlePath } from '../../paths';
import { expectMessage, type MainMessage, type WorkerEvent, type WorkerJob } from './protocol';

export interface ExitStatus { exitCode: number; signal?: NodeJS.Signals }

type Waiter = { resolve: (e: WorkerEvent) => void; reject: (err: unknown) => void };

export class WorkerSession {
  private readonly worker: Worker;
  private readonly queue: WorkerEvent[] = [];
  private waiter: Waiter | undefined;
  private failure: unknown;
  readonly exited: Promise<ExitStatus>;

  constructor(job: WorkerJob, workerPath = bundlePath('container-worker.js')) {
    this.worker = new Worker(workerPath, { workerData: job, stdout: false, stderr: false });
    let settle!: (s: ExitStatus) => void;
    let fail!: (err: unknown) => void;
    this.exited = new Promise<ExitStatus>((resolve, reject) => { settle = resolve; fail = reject; });
    this.exited.catch(() => undefined); // observed through next() as well
    this.worker.on('message', (e: WorkerEvent) => {
      if (e.type === 'exited') {
        settle(e.signal ? { exitCode: 128 + signalNumber(e.signal), signal: e.signal as NodeJS.Signals } : { exitCode: e.exitCode ?? 0 });
      }
      this.push(e);
    });
    const onGone = (err: unknown) => {
      this.failure = err;
      fail(err);
      this.waiter?.reject(err);
      this.waiter = undefined;
    };
    this.worker.on('error', onGone);
    this.worker.on('exit', (code) => onGone(new Error(`container worker ended (code ${code}) before the process exited`)));
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

const SIGNALS: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
};

/** Shell convention for a death by signal: 128 + its number (SIGKILL → 137). */
export function signalNumber(name: string): number {
  return SIGNALS[name] ?? 0;
}
