// File locks for the store: O_EXCL lock files holding the owner's pid, so that two builds or
// pulls (in one service, or a service and a CLI working on the same root) never interleave
// their read-modify-write of index.json. A lock whose owner process is dead is broken; that is
// what makes a store usable again after kill -9.
import fs from 'node:fs';
import { ConflictError } from '../errors';

export type Release = () => Promise<void>;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock now or returns undefined when a live process holds it. */
export async function tryLock(lockPath: string): Promise<Release | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await fs.promises.open(lockPath, 'wx', 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await fs.promises.rm(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number((await fs.promises.readFile(lockPath, 'utf8').catch(() => '')).trim());
    // An empty file is a lock being created right now (open then write), unless it stays empty.
    if (owner > 0 && alive(owner)) return undefined;
    if (owner === 0 && attempt === 0) {
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    await fs.promises.rm(lockPath, { force: true });
  }
  return undefined;
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` holding the lock at `lockPath`. Callers in this process queue in order; other
 * processes are waited for by polling, up to `timeoutMs`.
 */
export async function withLock<T>(lockPath: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const previous = queues.get(lockPath) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(async () => {
    const deadline = Date.now() + timeoutMs;
    let release: Release | undefined;
    for (let wait = 5; !(release = await tryLock(lockPath)); wait = Math.min(wait * 2, 100)) {
      if (Date.now() > deadline) throw new ConflictError(`timed out waiting for the lock ${lockPath}`);
      await new Promise((r) => setTimeout(r, wait));
    }
    try {
      return await fn();
    } finally {
      await release();
    }
  });
  queues.set(lockPath, run);
  try {
    return await run;
  } finally {
    if (queues.get(lockPath) === run) queues.delete(lockPath);
  }
}

/** Removes a lock file if its owner is dead (startup sweep). */
export async function breakStaleLock(lockPath: string): Promise<boolean> {
  const owner = Number((await fs.promises.readFile(lockPath, 'utf8').catch(() => '')).trim());
  if (owner > 0 && alive(owner) && owner !== process.pid) return false;
  if (owner === process.pid && queues.has(lockPath)) return false;
  await fs.promises.rm(lockPath, { force: true });
  return true;
}
