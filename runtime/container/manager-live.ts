// What the manager keeps in memory for each container that is running (or restarting) under
// this service: its process or adopted pid's watchers, cgroup, log follower, attach output and
// port proxies. Owns that record's shape and the wiring of a log follower to the attach output;
// the state on disk stays in runtime/container/state.
import type { EventEmitter } from 'node:events';
import type { Cgroup } from '../cgroups';
import { LogFollower, type FollowedEntry, type TtyLogWriter } from './logs';
import type { PublishedPort, StartedProcess } from './manager-types';

/** Output of a running container for attach: 'data' (stream, chunk) and 'end'. */
export type OutputStream = EventEmitter;

export interface Live {
  proc?: StartedProcess;
  cgroup: Cgroup;
  follower?: LogFollower;
  tty?: TtyLogWriter;
  output: OutputStream;
  /** The last signal we sent: the exit code of a re-adopted container that dies of it. */
  signalled?: NodeJS.Signals;
  /** Stopped or killed by a user: the restart policy does not apply. */
  manualStop?: boolean;
  finished: Promise<void>;
  poll?: NodeJS.Timeout;
  /** Port proxies serving the container's published ports. */
  ports: PublishedPort[];
}

/**
 * A follower of a non-TTY container's raw stdout/stderr files that writes the json log and
 * re-emits each entry on `output` for attach. Not started: the caller decides what a failed
 * start means. Errors while following go to `onError` (an 'error' event nobody listens to
 * would end the service).
 */
export function logFollower(p: { stdout: string; stderr: string; log: string; offsets: string }, output: OutputStream, onError: (err: unknown) => void): LogFollower {
  const follower = new LogFollower({ sources: { stdout: p.stdout, stderr: p.stderr }, logFile: p.log, offsetsFile: p.offsets });
  // The bytes as written, not the log's text: binary output must come through attach unchanged.
  follower.on('entries', (entries: FollowedEntry[]) => { for (const e of entries) output.emit('data', e.stream, e.raw); });
  follower.on('error', onError);
  return follower;
}
