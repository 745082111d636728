// When and how long to wait before trying a registry request again. Retried: connection
// failures and the statuses that mean "try later" (408, 429, 500, 502, 503, 504); never a
// 4xx answer about the request itself. Delays grow exponentially with full jitter (AWS
// architecture blog, "Exponential Backoff And Jitter") and honour Retry-After when the
// registry sends one. Pure, apart from `withRetry`'s waiting.

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 200, maxMs: 10_000 };

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRY_STATUS.has(status);
}

// Error codes of Node's sockets and undici for a connection that failed or broke.
const RETRY_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

/** True for network-level failures (walking the `cause` chain, where fetch puts them). */
export function isRetryableError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRY_CODES.has(code)) return true;
    if (e instanceof TypeError && e.message === 'fetch failed') return true;
    if ((e as Error).name === 'AbortError') return false;
  }
  return false;
}

/** Retry-After in milliseconds (delta-seconds or HTTP date), or undefined. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/**
 * Milliseconds to wait before try number `attempt + 1` (attempt counts from 1): a random
 * value in [0, min(maxMs, baseMs·2^(attempt-1))], or the server's Retry-After capped at maxMs.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(policy.maxMs, retryAfterMs);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling * random());
}

export class RetryableStatus extends Error {
  constructor(readonly status: number, readonly retryAfterMs: number | undefined, readonly what: string) {
    super(`${what}: registry answered ${status}`);
  }
}

/**
 * Runs `fn` until it succeeds, a non-retryable error is thrown, or the attempts are used up.
 * `fn` signals a retryable HTTP status by throwing RetryableStatus.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: {
  policy?: RetryPolicy; signal?: AbortSignal; sleep?: (ms: number) => Promise<void>; onRetry?: (attempt: number, err: unknown, delayMs: number) => void;
} = {}): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const retryable = err instanceof RetryableStatus || isRetryableError(err);
      if (!retryable || attempt >= policy.attempts || options.signal?.aborted) throw err;
      const delay = backoffDelay(attempt, policy, err instanceof RetryableStatus ? err.retryAfterMs : undefined);
      options.onRetry?.(attempt, err, delay);
      await sleep(delay);
    }
  }
}
