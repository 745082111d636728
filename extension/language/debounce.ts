// Runs the latest request per key after a quiet period: each new request for a key cancels the
// previous one — its timer if it is still waiting, its result (through the token) if it is
// already computing. Keeps linting off the typing path: the change handler only schedules.
export interface CancelToken { readonly cancelled: boolean }

export class Debouncer<K> {
  private readonly timers = new Map<K, ReturnType<typeof setTimeout>>();
  private readonly latest = new Map<K, { cancelled: boolean }>();

  constructor(private readonly delayMs: number) {}

  schedule(key: K, work: (token: CancelToken) => void | Promise<void>, delayMs = this.delayMs): void {
    this.cancel(key);
    const token = { cancelled: false };
    this.latest.set(key, token);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void Promise.resolve(work(token)).finally(() => { if (this.latest.get(key) === token) this.latest.delete(key); });
    }, delayMs));
  }

  cancel(key: K): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    const token = this.latest.get(key);
    if (token) token.cancelled = true;
    this.latest.delete(key);
  }

  dispose(): void { for (const k of new Set([...this.timers.keys(), ...this.latest.keys()])) this.cancel(k); }
}
