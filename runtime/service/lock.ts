// The state-directory lock: one service per state dir.
//
// The lock is <state>/service.lock, a JSON file naming the owner's pid and its start time
// (field 22 of /proc/PID/stat), created atomically with link(2) so it is never seen half
// written. A lock whose owner is gone — or whose pid now belongs to another process, which
// the start time reveals — is stale (the service was killed with SIGKILL) and is replaced.
import fs from 'node:fs';
import path from 'node:path';
import { liveStartTime } from '../common/proc-stat';
import { ConflictError, SlipwayError } from '../errors';

export interface LockInfo {
  pid: number;
  /** The owner's start time in clock ticks since boot, from /proc/PID/stat. */
  startTime: string;
  socket: string;
  version: string;
}

export interface HeldLock {
  readonly path: string;
  readonly info: LockInfo;
  /** The stale lock that was replaced, if any (for the log). */
  readonly replaced?: LockInfo;
  release(): void;
}

export const lockPath = (stateRoot: string) => path.join(stateRoot, 'service.lock');

/**
 * Field 22 (starttime) of /proc/PID/stat, or undefined when there is no such process or it
 * is a zombie: a service killed with SIGKILL whose parent has not reaped it (a detached
 * service's parent is often an init that never does) still has a /proc entry, state "Z".
 */
export function processStartTime(pid: number, procRoot = '/proc'): string | undefined {
  const start = liveStartTime(pid, procRoot);
  return start === undefined ? undefined : String(start);
}

/** True when the lock's owner is still the process that wrote it. */
export function ownerAlive(info: LockInfo, procRoot = '/proc'): boolean {
  const start = processStartTime(info.pid, procRoot);
  return start !== undefined && start === info.startTime;
}

export function parseLock(text: string): LockInfo | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && typeof v.startTime === 'string') {
      return { pid: v.pid, startTime: v.startTime, socket: String(v.socket ?? ''), version: String(v.version ?? '') };
    }
  } catch {
    // fall through: not a lock we wrote
  }
  return undefined;
}

/** The current lock's owner if it is alive, else undefined (no lock, or a stale one). */
export function liveOwner(stateRoot: string, procRoot = '/proc'): LockInfo | undefined {
  let text: string;
  try {
    text = fs.readFileSync(lockPath(stateRoot), 'utf8');
  } catch {
    return undefined;
  }
  const info = parseLock(text);
  return info && ownerAlive(info, procRoot) ? info : undefined;
}

/**
 * Takes the lock for this process. A live owner → ConflictError naming its pid; a stale lock
 * is removed (only if it is still the same file content, so two starters racing over one
 * stale lock cannot delete each other's fresh one) and the lock is taken.
 */
export function acquireLock(stateRoot: string, owner: { socket: string; version: string }, procRoot = '/proc'): HeldLock {
  const file = lockPath(stateRoot);
  const startTime = processStartTime(process.pid, procRoot);
  if (startTime === undefined) throw new SlipwayError(`cannot read ${path.join(procRoot, String(process.pid), 'stat')}: is /proc mounted?`);
  const info: LockInfo = { pid: process.pid, startTime, ...owner };
  const text = JSON.stringify(info) + '\n';
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o644 });
  let replaced: LockInfo | undefined;
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        fs.linkSync(tmp, file);
        return {
          path: file,
          info,
          replaced,
          release() {
            try {
              if (fs.readFileSync(file, 'utf8') === text) fs.unlinkSync(file);
            } catch {
              // already gone
            }
          },
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new SlipwayError(`cannot create lock ${file}`, { cause: err });
      }
      let current: string;
      try {
        current = fs.readFileSync(file, 'utf8');
      } catch {
        continue; // removed meanwhile: try again
      }
      const other = parseLock(current);
      if (other && ownerAlive(other, procRoot)) {
        throw new ConflictError(`state directory ${stateRoot} is in use by the slipway service with pid ${other.pid} (lock ${file})`);
      }
      replaced = other;
      try {
        if (fs.readFileSync(file, 'utf8') === current) fs.unlinkSync(file);
      } catch {
        // someone else removed it first
      }
    }
    throw new ConflictError(`cannot take lock ${file}: it keeps changing (another service starting?)`);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
