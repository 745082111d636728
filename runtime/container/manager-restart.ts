// The restart policy's timers: after an exit the user did not ask for, a container whose
// policy says so (manager-helpers shouldRestart) is marked "restarting" and started again after
// Docker's back-off; a user's stop/kill/rm during the back-off cancels it. Owns the timers only;
// the start itself is the manager's, handed in as a function.
import type { ContainerRecord, ContainerStore } from './state';

/** Docker's back-off: 100 ms, doubling per restart, at most a minute. */
export function restartDelayMs(restartCount: number): number {
  return Math.min(100 * 2 ** restartCount, 60_000);
}

export class RestartScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: ContainerStore,
    /** Starts the container as the restart policy does (allowed from "restarting"). */
    private readonly start: (id: string) => Promise<void>,
    private readonly report: (context: string, err: unknown) => void,
  ) {}

  async schedule(rec: ContainerRecord): Promise<void> {
    const delay = restartDelayMs(rec.restartCount);
    await this.store.update(rec.id, (r) => { r.state.status = 'restarting'; });
    const timer = setTimeout(() => {
      this.timers.delete(rec.id);
      this.store.update(rec.id, (r) => { r.restartCount += 1; })
        .then(() => this.start(rec.id))
        .catch(async (err) => {
          this.report(`restart of ${rec.id}`, err);
          await this.store.update(rec.id, (r) => { r.state.status = 'exited'; }).catch(() => undefined);
        });
    }, delay);
    timer.unref();
    this.timers.set(rec.id, timer);
  }

  /** A user's stop/kill/rm during the back-off: no restart, the container stays exited. */
  async cancel(id: string): Promise<boolean> {
    const timer = this.timers.get(id);
    if (!timer) return false;
    clearTimeout(timer);
    this.timers.delete(id);
    await this.store.update(id, (r) => { r.state.status = 'exited'; });
    return true;
  }
}
