// The on-disk log, one JSON object per line like Docker's json-file driver:
// {"log":"hello\n","stream":"stdout","time":"2026-01-01T00:00:00.123456789Z"}.
// Pure helpers: timestamps, (de)serialisation, since/until/tail selection, output formatting.

export type LogStream = 'stdout' | 'stderr';
export interface LogEntry { log: string; stream: LogStream; time: string }

/** RFC 3339 with nanosecond digits, as Docker writes (our clock gives microseconds). */
export function rfc3339Nano(epochMs: number = performance.timeOrigin + performance.now()): string {
  const whole = Math.floor(epochMs);
  const iso = new Date(whole).toISOString(); // ...T12:34:56.789Z
  const subMs = Math.floor((epochMs - whole) * 1e6).toString().padStart(6, '0');
  return `${iso.slice(0, -1)}${subMs}Z`;
}

/** Epoch nanoseconds of an RFC 3339 time with up to 9 fractional digits (as a bigint, to keep them all). */
export function timeToNs(time: string): bigint {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(time);
  if (!m) throw new Error(`invalid log time "${time}"`);
  const secs = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(secs)) throw new Error(`invalid log time "${time}"`);
  return BigInt(secs) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0').slice(0, 9));
}

export function serializeEntry(e: LogEntry): string {
  return `${JSON.stringify({ log: e.log, stream: e.stream, time: e.time })}\n`;
}

export function parseEntry(line: string): LogEntry | undefined {
  try {
    const v = JSON.parse(line) as LogEntry;
    if (typeof v.log === 'string' && (v.stream === 'stdout' || v.stream === 'stderr') && typeof v.time === 'string') return v;
  } catch {
    // A torn last line (crash mid-write) is skipped, not fatal.
  }
  return undefined;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * `--since`/`--until` values as docker accepts them: unix seconds ("1700000000.5"), RFC 3339
 * ("2026-01-01T00:00:00Z"), or a Go duration before now ("10m", "1h30m"). → epoch ns.
 */
export function parseTimeArg(value: string, nowMs: number = Date.now()): bigint {
  const v = value.trim();
  if (/^\d+(\.\d{1,9})?$/.test(v)) {
    const [s, frac = ''] = v.split('.');
    return BigInt(s) * 1_000_000_000n + BigInt(frac.padEnd(9, '0'));
  }
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(v)) {
    let ms = 0;
    for (const [, n, unit] of v.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(n) * DURATION_UNITS[unit];
    return BigInt(Math.round((nowMs - ms) * 1e6));
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(v)) return timeToNs(/Z|[+-]\d{2}:\d{2}$/.test(v) ? v : `${v}Z`);
  throw new Error(`invalid time "${value}": expected unix seconds, RFC 3339 or a duration like 10m`);
}

export interface LogSelection {
  stdout?: boolean;
  stderr?: boolean;
  /** Epoch ns, inclusive / exclusive. */
  since?: bigint;
  until?: bigint;
  /** Last n entries (after the other filters); undefined or negative: all. */
  tail?: number;
}

export function wanted(e: LogEntry, sel: LogSelection): boolean {
  if (e.stream === 'stdout' && sel.stdout === false) return false;
  if (e.stream === 'stderr' && sel.stderr === false) return false;
  if (sel.since !== undefined || sel.until !== undefined) {
    const t = timeToNs(e.time);
    if (sel.since !== undefined && t < sel.since) return false;
    if (sel.until !== undefined && t >= sel.until) return false;
  }
  return true;
}

export function selectEntries(entries: readonly LogEntry[], sel: LogSelection): LogEntry[] {
  const kept = entries.filter((e) => wanted(e, sel));
  return sel.tail !== undefined && sel.tail >= 0 ? kept.slice(Math.max(0, kept.length - sel.tail)) : kept;
}

/** The bytes `docker logs` shows for an entry: the line, prefixed by its time with --timestamps. */
export function formatEntry(e: LogEntry, timestamps: boolean): Buffer {
  return Buffer.from(timestamps ? `${e.time} ${e.log}` : e.log);
}
