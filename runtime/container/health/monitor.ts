// The effects around schedule.ts: one timer per running container with a HEALTHCHECK, a probe
// run through an injected runner (the service's is probe.ts, an exec into the container), the
// health state written into the container record (so inspect, ps and a restarted service see
// it) and a `health_status: <status>` event on every change. Started on a container's start
// (reset to "starting"), resumed without reset after unpause or re-adoption, stopped on
// pause and exit: a stop aborts a probe in flight (its process is killed).
import type { ContainerRecord } from '../state';
import {
  initialHealth, nextDelay, probeCommand, recordResult, timeoutResult, timing, truncateOutput, type HealthResult, type HealthState, type Timing,
} from './schedule';

export interface ProbeOutcome {
  exitCode: number;
  /** stdout and stderr together, as they came. */
  output: Buffer;
  timedOut: boolean;
}

/** Runs argv in the container; kills it and resolves timedOut after timeoutMs or on abort. */
export type ProbeRunner = (id: string, argv: string[], timeoutMs: number, signal: AbortSignal) => Promise<ProbeOutcome>;


export interface HealthMonitorDeps {
  store: {
    find(ref: string): ContainerRecord | undefined;
    update(id: string, change: (rec: ContainerRecord) => void): Promise<ContainerRecord>;
  };
  probe: ProbeRunner;
  publish(rec: ContainerRecord, action: string): void;
  onError(context: string, err: unknown): void;
  now?(): number;
}

interface Watch {
  timer?: NodeJS.Timeout;
  abort: AbortController;
  timing: Timing;
  argv: string[];
  startedAtMs: number;
}

export class HealthMonitor {
  private readonly watches = new Map<string, Watch>();
  private readonly now: () => number;

  constructor(private readonly deps: HealthMonitorDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** After a start: health "starting", streak 0, probing begins. No-op without a check. */
  async started(id: string): Promise<void> {
    const rec = this.deps.store.find(id);
    if (!rec || !probeCommand(rec.config.Healthcheck, rec.config.Shell)) return;
    this.stop(id);
    const updated = await this.deps.store.update(id, (r) => { r.state.health = initialHealth(r.state.health); });
    // It may have exited (and its 'die' passed) while the state was written.
    if (updated.state.status !== 'running' || this.watches.has(id)) return;
    this.watch(updated);
  }

  /** After unpause or re-adoption: probing goes on from the state on disk. */
  resume(id: string): void {
    const rec = this.deps.store.find(id);
    if (!rec || rec.state.status !== 'running' || this.watches.has(id)) return;
    if (!probeCommand(rec.config.Healthcheck, rec.config.Shell)) return;
    if (!rec.state.health) {
      this.started(id).catch((err) => this.deps.onError(`health of ${id}`, err));
      return;
    }
    this.watch(rec);
  }

  /** On pause, exit or removal: no more probes; one in flight is killed. */
  stop(id: string): void {
    const w = this.watches.get(id);
    if (!w) return;
    this.watches.delete(id);
    if (w.timer) clearTimeout(w.timer);
    w.abort.abort();
  }

  /** Service shutdown. */
  stopAll(): void {
    for (const id of [...this.watches.keys()]) this.stop(id);
  }

  /** Ids being probed (for tests and diagnostics). */
  watching(): string[] {
    return [...this.watches.keys()];
  }

  private watch(rec: ContainerRecord): void {
    const w: Watch = {
      abort: new AbortController(), timing: timing(rec.config.Healthcheck ?? {}), argv: probeCommand(rec.config.Healthcheck, rec.config.Shell)!,
      startedAtMs: Date.parse(rec.state.startedAt),
    };
    this.watches.set(rec.id, w);
    this.schedule(rec.id, w, rec.state.health?.Status ?? 'starting');
  }

  private schedule(id: string, w: Watch, status: HealthState['Status']): void {
    if (this.watches.get(id) !== w) return;
    w.timer = setTimeout(() => { this.tick(id, w).catch((err) => this.deps.onError(`health check of ${id}`, err)); }, nextDelay(w.timing, w.startedAtMs, this.now(), status));
    // Probing must not keep a stopping service alive.
    w.timer.unref();
  }

  private async tick(id: string, w: Watch): Promise<void> {
    if (this.watches.get(id) !== w) return;
    const start = new Date(this.now());
    let result: HealthResult;
    try {
      const out = await this.deps.probe(id, w.argv, w.timing.timeoutMs, w.abort.signal);
      const end = new Date(this.now());
      result = out.timedOut
        ? timeoutResult(start, end, w.timing)
        : { Start: start.toISOString(), End: end.toISOString(), ExitCode: out.exitCode, Output: truncateOutput(out.output) };
    } catch (err) {
      // dockerd records a probe that could not run as a failure with the error as output.
      result = { Start: start.toISOString(), End: new Date(this.now()).toISOString(), ExitCode: -1, Output: err instanceof Error ? err.message : String(err) };
    }
    // Stopped (exit, pause) while the probe ran: its result says nothing about the container.
    if (this.watches.get(id) !== w) return;
    let changed = false;
    let status: HealthState['Status'] = 'starting';
    const rec = await this.deps.store.update(id, (r) => {
      const next = recordResult(r.state.health ?? initialHealth(), result, w.timing, w.startedAtMs);
      r.state.health = next.state;
      changed = next.changed;
      status = next.state.Status;
    });
    if (changed) this.deps.publish(rec, `health_status: ${status}`);
    this.schedule(id, w, status);
  }
}
