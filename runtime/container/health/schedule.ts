// The HEALTHCHECK state machine, pure: given the container's Healthcheck config, the time it
// started, the clock and each probe's result, what the health state is and when the next probe
// runs. Semantics are dockerd's (daemon/health.go): the first probe runs one interval after the
// start (the start interval while the start period lasts and the container has never been
// healthy); a probe exiting 0 makes the container healthy and resets the failing streak; any
// other result (a timeout is exit code -1) adds to the streak, except while the container is
// still "starting" within its start period; Retries consecutive failures make it unhealthy.
// The last 5 results are kept, each output cut to 4096 bytes. The effects (timers, exec, the
// state file) live in monitor.ts.
import { goDuration } from '../../common/go-duration';
import { InvalidArgumentError } from '../../errors';
import type { HealthConfig } from '../../image/types';

export type { HealthConfig };

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';
export const HEALTH_STATUSES: readonly string[] = ['starting', 'healthy', 'unhealthy', 'none'];

/** One probe's result, as State.Health.Log shows it. */
export interface HealthResult {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

/** State.Health in Docker's inspect JSON, kept in the container record. */
export interface HealthState {
  Status: HealthStatus;
  FailingStreak: number;
  Log: HealthResult[];
}

/** The defaults of daemon/health.go, in ms. */
export const DEFAULT_INTERVAL_MS = 30_000;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_START_INTERVAL_MS = 5_000;
export const DEFAULT_RETRIES = 3;
export const MAX_LOG_ENTRIES = 5;
export const MAX_OUTPUT_BYTES = 4096;
/** moby's container.MinimumDuration for every non-zero duration. */
const MIN_DURATION_NS = 1_000_000;

export interface Timing {
  intervalMs: number;
  timeoutMs: number;
  startPeriodMs: number;
  startIntervalMs: number;
  retries: number;
}

const ms = (ns: number | undefined, dflt: number) => (ns && ns > 0 ? ns / 1e6 : dflt);

export function timing(hc: HealthConfig): Timing {
  return {
    intervalMs: ms(hc.Interval, DEFAULT_INTERVAL_MS),
    timeoutMs: ms(hc.Timeout, DEFAULT_TIMEOUT_MS),
    startPeriodMs: ms(hc.StartPeriod, 0),
    startIntervalMs: ms(hc.StartInterval, DEFAULT_START_INTERVAL_MS),
    retries: hc.Retries && hc.Retries > 0 ? hc.Retries : DEFAULT_RETRIES,
  };
}

/**
 * The argv a probe runs, or undefined when there is no check (no config, NONE, an empty or
 * unknown test: dockerd ignores those too). CMD-SHELL goes through the image's SHELL.
 */
export function probeCommand(hc: HealthConfig | undefined, shell?: readonly string[] | null): string[] | undefined {
  const test = hc?.Test ?? [];
  if (test.length === 0) return undefined;
  const rest = test.slice(1);
  switch (test[0]) {
    case 'CMD':
      return rest.length ? rest : undefined;
    case 'CMD-SHELL':
      return rest.length ? [...(shell?.length ? shell : ['/bin/sh', '-c']), ...rest] : undefined;
    default:
      return undefined;
  }
}

/** Delay before the next probe, from the end of the last one (or the start). */
export function nextDelay(t: Timing, startedAtMs: number, nowMs: number, status: HealthStatus): number {
  if (nowMs - startedAtMs < t.startPeriodMs && status === 'starting') return t.startIntervalMs;
  return t.intervalMs;
}

/** The state after a (re)start: status starting, streak reset, the old log kept (as dockerd). */
export function initialHealth(prev?: HealthState): HealthState {
  return { Status: 'starting', FailingStreak: 0, Log: prev?.Log ?? [] };
}

/** Folds one result into the state; `changed` says a health_status event is due. */
export function recordResult(prev: HealthState, result: HealthResult, t: Timing, startedAtMs: number): { state: HealthState; changed: boolean } {
  const Log = [...prev.Log, result].slice(-MAX_LOG_ENTRIES);
  let { Status, FailingStreak } = prev;
  if (result.ExitCode === 0) {
    FailingStreak = 0;
    Status = 'healthy';
  } else {
    // A container that was never healthy is forgiven its failures during the start period.
    const forgiven = Status === 'starting' && Date.parse(result.Start) - startedAtMs < t.startPeriodMs;
    if (!forgiven) {
      FailingStreak++;
      if (FailingStreak >= t.retries) Status = 'unhealthy';
    }
  }
  return { state: { Status, FailingStreak, Log }, changed: Status !== prev.Status };
}

/** Cuts a probe's combined output to 4096 bytes, marking the cut with "..." as dockerd does. */
export function truncateOutput(out: Buffer): string {
  return out.length > MAX_OUTPUT_BYTES ? `${out.subarray(0, MAX_OUTPUT_BYTES).toString('utf8')}...` : out.toString('utf8');
}

/** The result recorded for a probe killed at its timeout. */
export function timeoutResult(start: Date, end: Date, t: Timing): HealthResult {
  return { Start: start.toISOString(), End: end.toISOString(), ExitCode: -1, Output: `Health check exceeded timeout (${goDuration(t.timeoutMs * 1e6)})` };
}

/** moby's create-time checks of a Healthcheck, with its wording. */
export function checkHealthConfig(hc: HealthConfig | undefined): void {
  if (!hc) return;
  const durations: Array<[keyof HealthConfig, string]> = [['Interval', 'Interval'], ['Timeout', 'Timeout'], ['StartPeriod', 'StartPeriod'], ['StartInterval', 'StartInterval']];
  for (const [key, label] of durations) {
    const v = hc[key] as number | undefined;
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) throw new InvalidArgumentError(`${label} in Healthcheck must be a number of nanoseconds: ${String(v)}`);
    if (v && v !== 0 && v < MIN_DURATION_NS) throw new InvalidArgumentError(`${label} in Healthcheck cannot be less than 1ms`);
  }
  if (hc.Retries !== undefined && hc.Retries < 0) throw new InvalidArgumentError('Retries in Healthcheck cannot be negative');
  if (hc.Test && !Array.isArray(hc.Test)) throw new InvalidArgumentError('Test in Healthcheck must be a list of strings');
}

/**
 * The container's Healthcheck from the request's and the image's (moby daemon/commit.go
 * merge): none given → the image's; given with an empty Test or zero fields → those from the image.
 */
export function mergeHealthcheck(user: HealthConfig | null | undefined, image: HealthConfig | null | undefined): HealthConfig | undefined {
  if (!user) return image ? { ...image } : undefined;
  if (!image) return { ...user };
  const out: HealthConfig = { ...user };
  if (!out.Test?.length) out.Test = image.Test;
  for (const k of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries'] as const) {
    if (!out[k] && image[k]) out[k] = image[k];
  }
  return out;
}
