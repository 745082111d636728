// Re-adoption after a service restart. Containers outlive the service (their stdio goes to
// files, their PID 1 is re-parented when the service dies), so on start the service checks
// each "running" record: same pid AND same start time (field 22 of /proc/<pid>/stat) means
// it is still our process; anything else means it ended while nobody was watching.
//
// The exit code of such a container cannot be known: only a parent can wait() for it. Docker
// is in the same place when containerd has lost a task and records exit code 255
// (libcontainerd DeleteTask on a missing task returns 255); we do the same, except when the
// cgroup's OOM-kill count says the kernel killed it — then 137 and OOMKilled, as Docker would
// have recorded had it been watching.
import type { ContainerRecord, ContainerState } from './record';

export const UNKNOWN_EXIT_CODE = 255;
export const OOM_EXIT_CODE = 137;

/** Start time (clock ticks after boot) of a live pid, undefined when it is gone or a zombie. */
export { liveStartTime as readPidStartTime } from '../../common/proc-stat';

/** Is this record's process still the one we started? */
export function isSameProcess(state: ContainerState, startTimeOf: (pid: number) => number | undefined): boolean {
  if (!state.pid) return false;
  const now = startTimeOf(state.pid);
  return now !== undefined && (state.pidStartTime === undefined || now === state.pidStartTime);
}

/**
 * The state a record should have after a restart of the service, or undefined if it needs no
 * change (not running, or still alive).
 */
export function reconcileState(rec: ContainerRecord, probe: { startTimeOf: (pid: number) => number | undefined; oomKills: () => number; now: () => Date }): ContainerState | undefined {
  const st = rec.state;
  if (st.status !== 'running' && st.status !== 'paused' && st.status !== 'restarting') return undefined;
  if (isSameProcess(st, probe.startTimeOf)) return undefined;
  const oom = probe.oomKills() > 0;
  return {
    ...st,
    status: 'exited',
    pid: 0,
    pidStartTime: undefined,
    exitCode: oom ? OOM_EXIT_CODE : UNKNOWN_EXIT_CODE,
    oomKilled: oom,
    finishedAt: probe.now().toISOString(),
  };
}
