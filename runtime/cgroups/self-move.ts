// A thread that moves itself between cgroup v1 groups — "0" written to a `tasks` file — skips
// the kernel's threadgroup lock, and with it the RCU grace period (10-25 ms here) that a pid
// written into cgroup.procs waits for (Linux >= 6.2; runtime/container/start/protocol.ts has
// the details). The exec worker uses it to spawn a process that is born inside the container's
// cgroups: the thread joins them, spawns, and goes back to the service's own cgroups. This
// module finds "back": the `tasks` file of the calling thread's cgroup in the hierarchy of
// each file it joins.

interface V1Mount { mountPoint: string; root: string; controllers: string }

/** cgroup v1 mounts from /proc/self/mountinfo text, keyed by their sorted controller list. */
export function v1Mounts(mountinfo: string): V1Mount[] {
  const out: V1Mount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const [fstype, , superOpts = ''] = right.split(' ');
    if (fstype !== 'cgroup') continue;
    const fields = left.split(' ');
    const controllers = superOpts.split(',').filter((o) => !['rw', 'ro', 'xattr', 'clone_children', 'noprefix', 'cpuset_v2_mode'].includes(o) && !o.startsWith('release_agent'));
    out.push({ mountPoint: fields[4], root: fields[3], controllers: controllers.sort().join(',') });
  }
  return out;
}

/**
 * For each file of `joinFiles` (a `tasks` file under a cgroup v1 mount), the `tasks` file of
 * the cgroup that /proc/thread-self/cgroup (`ownCgroup`) names in the same hierarchy.
 * Undefined when one cannot be found (not under a v1 mount, a mount of a sub-tree, no line
 * for its controllers): then the caller moves the process by pid instead.
 */
export function returnTasksFiles(joinFiles: readonly string[], mountinfo: string, ownCgroup: string): string[] | undefined {
  const mounts = v1Mounts(mountinfo);
  const own = new Map<string, string>();
  for (const line of ownCgroup.split('\n')) {
    const m = /^\d+:([^:]*):(\/.*)$/.exec(line.trim());
    if (m && m[1]) own.set(m[1].split(',').sort().join(','), m[2]);
  }
  const back: string[] = [];
  for (const file of joinFiles) {
    const mount = mounts.filter((m) => file.startsWith(`${m.mountPoint}/`)).sort((a, b) => b.mountPoint.length - a.mountPoint.length)[0];
    const path = mount && mount.root === '/' ? own.get(mount.controllers) : undefined;
    if (path === undefined) return undefined;
    back.push(`${mount.mountPoint}${path === '/' ? '' : path}/tasks`);
  }
  return back;
}
