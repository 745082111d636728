// Wall-clock trace points for latency work (the timelines in bench/RESULTS.md). With
// SLIPWAY_TRACE=1 in a process's environment, trace('label') writes "trace <ms> label" to its
// stderr at once (a synchronous write: a line is never lost to a crash or reordered); without
// it a call costs one boolean test. The clock is the epoch in ms modulo 1e6, so the lines of
// the service's main thread, its Workers and the CLI line up. Not for the init: its stderr is
// the container's.
import fs from 'node:fs';

const ON = process.env.SLIPWAY_TRACE === '1';

export function trace(label: string): void {
  if (ON) traceAt(traceClock(), label);
}

/** Whether this process traces (the service passes it on to the inits it starts). */
export function tracing(): boolean {
  return ON;
}

/** The trace clock now: what trace() prints, for a process that cannot print (the init). */
export function traceClock(): number {
  return (performance.timeOrigin + performance.now()) % 1e6;
}

/** A point measured elsewhere (the init's marks), printed with its own time. */
export function traceAt(ms: number, label: string): void {
  if (!ON) return;
  try { fs.writeSync(2, `trace ${ms.toFixed(1)} ${label}\n`); } catch { /* stderr closed */ }
}
