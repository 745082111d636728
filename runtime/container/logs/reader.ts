// Reading the json log for `docker logs`: stream/since/until/tail selection, and --follow,
// which keeps reading appended lines until the container stops or the client goes away.
import fs from 'node:fs';
import { parseEntry, selectEntries, timeToNs, wanted, type LogEntry, type LogSelection } from './jsonlog';

export interface ReadOptions extends LogSelection {
  follow?: boolean;
  /** Ends a follow (the client disconnected). */
  signal?: AbortSignal;
  /** While true, follow waits for more; once false, the rest is read and the stream ends. */
  isRunning?: () => boolean;
  pollMs?: number;
}

function parseLines(text: string): LogEntry[] {
  return text.split('\n').filter(Boolean).map(parseEntry).filter((e): e is LogEntry => e !== undefined);
}

async function readFrom(file: string, offset: number): Promise<{ text: string; next: number }> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', next: offset };
    throw err;
  }
  try {
    const size = (await fh.stat()).size;
    if (size <= offset) return { text: '', next: offset };
    const buf = Buffer.alloc(size - offset);
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    // Only whole lines: a line being appended right now is read next time.
    const lastNl = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (lastNl < 0) return { text: '', next: offset };
    return { text: buf.subarray(0, lastNl + 1).toString('utf8'), next: offset + lastNl + 1 };
  } finally {
    await fh.close();
  }
}

function waitForChange(file: string, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let watcher: fs.FSWatcher | undefined;
    const done = () => {
      clearTimeout(timer);
      watcher?.close();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    try {
      watcher = fs.watch(file, done);
      watcher.on('error', done);
    } catch {
      // Not there yet: the timeout polls.
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function* readLogs(file: string, opts: ReadOptions = {}): AsyncGenerator<LogEntry> {
  let { text, next } = await readFrom(file, 0);
  for (const e of selectEntries(parseLines(text), opts)) yield e;
  if (!opts.follow) return;
  const live: LogSelection = { ...opts, tail: undefined };
  for (;;) {
    if (opts.signal?.aborted) return;
    const running = opts.isRunning?.() ?? true;
    ({ text, next } = await readFrom(file, next));
    for (const e of parseLines(text)) {
      if (opts.until !== undefined && timeToNs(e.time) >= opts.until) return;
      if (wanted(e, live)) yield e;
    }
    // The container had stopped before this read: everything it wrote has been seen.
    if (!running) return;
    if (opts.until !== undefined && BigInt(Date.now()) * 1_000_000n >= opts.until) return;
    await waitForChange(file, opts.pollMs ?? 500, opts.signal);
  }
}
