// Who is waiting on a container, and for what: POST /containers/{id}/wait callers and the
// "has it exited yet?" checks of stop and rm. Owns the waiter lists only; the manager calls
// wake() when it records an exit or a removal.
import type { ContainerState } from './state';

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

type Resolve = (st: ContainerState) => void;

export class Waiters {
  private readonly lists = new Map<string, Array<{ cond: WaitCondition; resolve: Resolve }>>();

  /** Registers at once (before the caller awaits), so an exit that follows is never missed. */
  next(id: string, cond: WaitCondition): Promise<ContainerState> {
    return new Promise<ContainerState>((resolve) => this.push(id, cond, resolve));
  }

  /** Resolves the waiters of `id` whose condition is one of `conds` with the state reached. */
  wake(id: string, conds: readonly WaitCondition[], state: ContainerState): void {
    const list = this.lists.get(id) ?? [];
    const keep = list.filter((w) => !conds.includes(w.cond));
    for (const w of list) if (conds.includes(w.cond)) w.resolve(state);
    if (keep.length) this.lists.set(id, keep);
    else this.lists.delete(id);
  }

  /** True once `id` stops running, false after `ms` (the waiter stays until the exit). */
  async exitWithin(id: string, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((r) => { timer = setTimeout(() => r(false), ms); });
    const done = this.next(id, 'not-running').then(() => true as const);
    const result = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return result;
  }

  private push(id: string, cond: WaitCondition, resolve: Resolve): void {
    const list = this.lists.get(id) ?? [];
    list.push({ cond, resolve });
    this.lists.set(id, list);
  }
}
