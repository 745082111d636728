// Reconnect delays for the service connection: exponential, capped, with optional jitter so
// that several windows reconnecting to one restarted service do not arrive in lock-step.

export interface BackoffOptions {
  /** Delay before the first retry. */
  initialMs: number;
  /** The cap: a service that stays down is retried this often, no less. */
  maxMs: number;
  factor: number;
  /** 0 = exact delays; 0.2 = each delay drawn from [80 %, 100 %] of the exact one. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 };

/** The delay before retry number `attempt` (0-based). `random` is injectable for tests. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`backoff attempt must be a non-negative integer, got ${attempt}`);
  // Math.min before the power would overflow to Infinity for large attempts anyway; clamp the exponent.
  const exact = Math.min(options.maxMs, options.initialMs * options.factor ** Math.min(attempt, 64));
  return Math.round(exact * (1 - options.jitter * random()));
}
