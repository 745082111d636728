// Writing a file so that a reader, or the process after a crash, sees the old content or the
// new one, never a mix: write a temp file beside it (same filesystem, so rename is atomic),
// optionally fsync it, then rename it over the target.
//
// fsync is on by default: state records, indexes and credentials must survive a power cut
// once the call has returned. Callers that rewrite a file on a hot path and can rebuild it
// (the log follower's offsets) turn it off and say why.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

export interface AtomicWriteOptions {
  /** File mode of a new file (default 0o644; 0o600 for secrets). */
  mode?: number;
  /** fsync the data before the rename (default true). */
  fsync?: boolean;
}

function tempName(file: string): string {
  return `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Whether a directory entry is a temp file (or dir) of this naming, `NAME.tmp-PID-…`, left by a
 * process that is gone. Start-up sweeps must remove only those: another live process sharing
 * the directory (two CLIs on one store) may be about to rename its own.
 */
export function isStaleTemp(name: string): boolean {
  const m = /\.tmp-(\d+)-/.exec(name);
  if (!m) return false;
  try {
    process.kill(Number(m[1]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const tmp = tempName(file);
  const fh = await fs.promises.open(tmp, 'w', options.mode ?? 0o644);
  try {
    try {
      await fh.writeFile(data);
      if (options.fsync !== false) await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}

export function writeFileAtomicSync(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const tmp = tempName(file);
  const fd = fs.openSync(tmp, 'w', options.mode ?? 0o644);
  try {
    try {
      fs.writeFileSync(fd, data);
      if (options.fsync !== false) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
