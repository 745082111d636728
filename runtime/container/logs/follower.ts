// Turns the container's raw stdout/stderr files (the kernel writes straight into them, so
// nothing is lost while the service is down) into the timestamped json log. Offsets of what
// has been logged are saved beside the log, so a restarted service resumes where the old one
// stopped. Lines are logged whole; a line longer than 16 KiB is cut, as Docker's json-file
// does. Delivery is at-least-once: a crash between appending and saving offsets repeats lines.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { rfc3339Nano, serializeEntry, type LogEntry, type LogStream } from './jsonlog';
import { writeFileAtomic } from '../../common/atomic-file';

const MAX_LINE = 16 * 1024;
const READ_CHUNK = 1024 * 1024;

export interface FollowerOptions {
  sources: Record<LogStream, string>;
  logFile: string;
  offsetsFile: string;
  /** Fallback poll for missed fs.watch events. */
  pollMs?: number;
  now?: () => string;
}

type Offsets = Record<LogStream, number>;

/**
 * What 'entries' carries: the json log's entry, whose `log` is text (json-file, as Docker's,
 * turns invalid UTF-8 into U+FFFD), and the line's bytes as written, for attach and `run`
 * without a terminal, which must pass binary output through unchanged.
 */
export type FollowedEntry = LogEntry & { raw: Buffer };

/** Splits complete lines off `buf`; `final` also takes the unterminated rest. */
export function splitLines(buf: Buffer, final: boolean): { lines: Buffer[]; consumed: number } {
  const lines: Buffer[] = [];
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl < 0 ? -1 : nl + 1;
    if (end > 0 && end - start <= MAX_LINE) {
      lines.push(buf.subarray(start, end));
      start = end;
    } else if (buf.length - start >= MAX_LINE || (end > 0 && end - start > MAX_LINE)) {
      lines.push(buf.subarray(start, start + MAX_LINE));
      start += MAX_LINE;
    } else break;
  }
  if (final && start < buf.length) {
    lines.push(buf.subarray(start));
    start = buf.length;
  }
  return { lines, consumed: start };
}

export class LogFollower extends EventEmitter {
  private offsets: Offsets = { stdout: 0, stderr: 0 };
  private watchers: fs.FSWatcher[] = [];
  private timer?: NodeJS.Timeout;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: FollowerOptions) {
    super();
  }

  async start(): Promise<void> {
    try {
      // Synchronous, as the size checks in readNew: a few-byte file on the start's critical
      // path costs less read here than a round trip through libuv's thread pool.
      this.offsets = { ...this.offsets, ...JSON.parse(fs.readFileSync(this.opts.offsetsFile, 'utf8')) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read log offsets ${this.opts.offsetsFile}`, { cause: err });
    }
    await this.drain();
    if (this.stopped) return; // the container ended (stop) during that first drain
    for (const file of Object.values(this.opts.sources)) {
      // The init creates these when it opens them, after this start: made here first (as it
      // would, 0640), so there is a file to watch. Without it only the poll below saw output,
      // up to a second late.
      try { fs.closeSync(fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o640)); } catch { /* the poll still works */ }
      try {
        const w = fs.watch(file, () => void this.drain().catch((err) => this.emit('error', err)));
        w.on('error', () => undefined);
        this.watchers.push(w);
      } catch {
        // No file yet (or no inotify): the poll below still picks output up.
      }
    }
    this.timer = setInterval(() => void this.drain().catch((err) => this.emit('error', err)), this.opts.pollMs ?? 1000);
    this.timer.unref();
  }

  /** Logs whatever the sources hold beyond the saved offsets (complete lines only unless `final`). */
  drain(final = false): Promise<void> {
    const run = async () => {
      const entries: FollowedEntry[] = [];
      const next = { ...this.offsets };
      for (const stream of ['stdout', 'stderr'] as const) {
        const { lines, consumed } = await this.readNew(this.opts.sources[stream], next[stream], final);
        next[stream] += consumed;
        const time = (this.opts.now ?? rfc3339Nano)();
        for (const l of lines) entries.push({ log: l.toString('utf8'), stream, time, raw: l });
      }
      if (entries.length === 0) return;
      await fs.promises.appendFile(this.opts.logFile, entries.map(serializeEntry).join(''));
      this.offsets = next;
      // No fsync: offsets are rewritten on every read; after a power cut the follower re-reads a
      // little (at-least-once delivery, as documented) rather than paying a disk flush per line.
      await writeFileAtomic(this.opts.offsetsFile, JSON.stringify(next), { fsync: false });
      this.emit('entries', entries);
    };
    this.chain = this.chain.then(run, run);
    return this.chain;
  }

  private async readNew(file: string, offset: number, final: boolean): Promise<{ lines: Buffer[]; consumed: number }> {
    // Most drains find nothing new (every start, every exit, each poll of a quiet container):
    // one stat(2) on this thread answers that without the open/fstat/close round trips
    // through the thread pool (three per stream, ~1 ms each when the CPUs are busy).
    const known = fs.statSync(file, { throwIfNoEntry: false });
    if (!known || known.size <= offset) return { lines: [], consumed: 0 };
    let fh: fs.promises.FileHandle;
    try {
      fh = await fs.promises.open(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], consumed: 0 };
      throw err;
    }
    try {
      const size = (await fh.stat()).size;
      if (size <= offset) return { lines: [], consumed: 0 };
      const buf = Buffer.alloc(Math.min(size - offset, READ_CHUNK));
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      return splitLines(buf.subarray(0, bytesRead), final && offset + bytesRead >= size);
    } finally {
      await fh.close();
    }
  }

  /**
   * Stops watching and polling, for a service that lets its containers run on (shutdown): what
   * is not logged yet stays in the files, for the next service to resume from the offsets.
   */
  detach(): void {
    this.stopped = true;
    for (const w of this.watchers) w.close();
    this.watchers = [];
    if (this.timer) clearInterval(this.timer);
  }

  /** Stops watching; logs what is left, unterminated last lines included (the container has exited). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.detach();
    // Loop: one read is capped at READ_CHUNK per stream.
    for (let before = -1; before !== this.offsets.stdout + this.offsets.stderr; ) {
      before = this.offsets.stdout + this.offsets.stderr;
      await this.drain(true);
    }
  }
}

/** TTY output (read by the service from the PTY master) → the log, as stream stdout. */
export class TtyLogWriter {
  private pending: Buffer = Buffer.alloc(0);
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly logFile: string, private readonly now: () => string = rfc3339Nano) {}

  write(chunk: Buffer): Promise<void> {
    this.pending = Buffer.concat([this.pending, chunk]);
    return this.flush(false);
  }

  close(): Promise<void> {
    return this.flush(true);
  }

  private flush(final: boolean): Promise<void> {
    const { lines, consumed } = splitLines(this.pending, final);
    this.pending = this.pending.subarray(consumed);
    if (lines.length === 0) return this.chain;
    const time = this.now();
    const text = lines.map((l) => serializeEntry({ log: l.toString('utf8'), stream: 'stdout', time })).join('');
    this.chain = this.chain.then(() => fs.promises.appendFile(this.logFile, text));
    return this.chain;
  }
}
