// Where an exec worker thread goes back to after spawning inside a container's cgroups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { returnTasksFiles, v1Mounts } from '../../../runtime/cgroups/self-move';

// This machine's shape: v1 controllers (cpu and cpuacct co-mounted), an empty cgroup2 at
// unified/, the service in a nested memory cgroup and the root elsewhere.
const MOUNTINFO = [
  '30 25 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755',
  '31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw',
  '32 30 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,memory',
  '33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,cpu,cpuacct',
  '34 30 0:30 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,pids',
  '35 30 0:31 /sub /sys/fs/cgroup/freezer rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,freezer',
].join('\n');
const OWN = ['6:freezer:/', '4:memory:/process_api/abc', '2:cpuacct,cpu:/', '8:pids:/', '0::/'].join('\n');
const join = (h: string) => `/sys/fs/cgroup/${h}/slipway/c1/tasks`;

test('v1Mounts lists cgroup v1 mounts with their sorted controllers, not cgroup2 or tmpfs', () => {
  assert.deepEqual(v1Mounts(MOUNTINFO).map((m) => [m.mountPoint, m.controllers]), [
    ['/sys/fs/cgroup/memory', 'memory'], ['/sys/fs/cgroup/cpu,cpuacct', 'cpu,cpuacct'], ['/sys/fs/cgroup/pids', 'pids'], ['/sys/fs/cgroup/freezer', 'freezer'],
  ]);
});

const cases: Array<[string, string[], string[] | undefined]> = [
  ['each hierarchy back to this thread\'s own cgroup (nested or the root)', [join('memory'), join('cpu,cpuacct'), join('pids')],
    ['/sys/fs/cgroup/memory/process_api/abc/tasks', '/sys/fs/cgroup/cpu,cpuacct/tasks', '/sys/fs/cgroup/pids/tasks']],
  ['a mount of a sub-tree cannot be mapped: none', [join('memory'), join('freezer')], undefined],
  ['a file under no v1 mount: none', ['/sys/fs/cgroup/unified/slipway/c1/cgroup.threads'], undefined],
  ['nothing to join: nothing to return to', [], []],
];
for (const [name, files, want] of cases) {
  test(`returnTasksFiles: ${name}`, () => assert.deepEqual(returnTasksFiles(files, MOUNTINFO, OWN), want));
}

test('returnTasksFiles: no line for the hierarchy\'s controllers in the thread\'s cgroup file: none', () => {
  assert.equal(returnTasksFiles([join('pids')], MOUNTINFO, '4:memory:/'), undefined);
});
