// Structured logs: one JSON object a line to <state>/service.log (for tools and bug reports),
// and a short human line to stderr. Secrets never reach either: fields whose names look like
// credentials are replaced before anything is written (registry auth travels in
// X-Registry-Auth and in bodies, so the server never logs headers or bodies wholesale).
import fs from 'node:fs';
import { describe } from '../errors';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /pass(word)?|secret|token|auth|credential|cookie|private.?key/i;
export const REDACTED = '[redacted]';

/** A copy of `value` with credential-like fields replaced and errors made serialisable. */
export function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Error) {
    return { message: describe(value), ...(value.stack ? { stack: value.stack.split('\n').slice(0, 6).join('\n') } : {}) };
  }
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '' ? REDACTED : redact(v, depth + 1);
  }
  return out;
}

/** The JSON line written to the log file (without the newline). */
export function formatJsonLine(level: Level, msg: string, fields: Fields | undefined, now: Date): string {
  return JSON.stringify({ time: now.toISOString(), level, msg, ...(redact(fields ?? {}) as object) });
}

/** The concise stderr line: "INFO  listening socket=/run/slipway/slipway.sock". */
export function formatHumanLine(level: Level, msg: string, fields: Fields | undefined): string {
  const parts = [`${level.toUpperCase().padEnd(5)} ${msg}`];
  for (const [k, v] of Object.entries(redact(fields ?? {}) as Fields)) {
    if (v === undefined) continue;
    const text = typeof v === 'string' ? v : k === 'err' && v && typeof v === 'object' ? String((v as { message?: unknown }).message) : JSON.stringify(v);
    parts.push(`${k}=${/\s/.test(text) ? JSON.stringify(text) : text}`);
  }
  return parts.join(' ');
}

export interface LoggerOptions {
  /** JSON lines are appended here; omitted → no file. */
  file?: string;
  /** Human lines go here; omitted → none. */
  stderr?: NodeJS.WritableStream;
  level?: Level;
}

export function createLogger(options: LoggerOptions): Logger {
  const min = ORDER[options.level ?? 'info'];
  // Synchronous appends: a log line must survive a crash that follows it, and the volume is low.
  let fd: number | undefined = options.file ? fs.openSync(options.file, 'a', 0o640) : undefined;
  // A detached service's stderr may be a pipe whose reader is gone. Without a listener the
  // EPIPE becomes an uncaught exception, which is logged, which writes to stderr again: a loop
  // that once filled 48 MB of log in seconds. After the first error, stderr is left alone.
  let stderr = options.stderr;
  stderr?.on?.('error', () => { stderr = undefined; });
  function write(level: Level, msg: string, fields?: Fields) {
    if (ORDER[level] < min) return;
    if (fd !== undefined) {
      try {
        fs.writeSync(fd, formatJsonLine(level, msg, fields, new Date()) + '\n');
      } catch {
        fd = undefined; // the state dir went away (tests clean up): keep serving, stop logging to it
      }
    }
    stderr?.write(formatHumanLine(level, msg, fields) + '\n');
  }
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** A logger that drops everything (unit tests). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
