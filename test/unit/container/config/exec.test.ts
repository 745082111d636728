// buildExecProcess, the one builder of an exec'd process (docker exec and health probes):
// each row is one exec request against one container, with what the process spec must say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALL_CAPABILITIES, buildExecProcess, DEFAULT_CAPABILITIES, mergeCreateRequest, resolveUser,
  type CreateRequest, type ExecRequest, type ResolvedUser,
} from '../../../../runtime/container/config';
import type { ProcessSpec } from '../../../../runtime/container/spec';

const ID = 'fedcba987654' + '0'.repeat(52);
const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const HOSTNAME = 'HOSTNAME=fedcba987654';
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nwww:x:33:33::/var/www:/bin/false\n';
const GROUP = 'root:x:0:\napp:x:1000:\nstaff:x:50:app,www\n';
const NO_RESOURCE = ALL_CAPABILITIES.filter((c) => c !== 'CAP_SYS_RESOURCE');

interface Row {
  name: string;
  container: CreateRequest;
  exec: ExecRequest;
  /** The fields of the process spec this row is about. */
  want: Partial<ProcessSpec>;
}

/** As the service does it: the exec's user, or the container's, resolved in the image's files. */
function build(container: CreateRequest, exec: ExecRequest): ProcessSpec {
  const merged = mergeCreateRequest(container, {}, { id: ID, hostCpus: 2, hostHostname: 'h' });
  const user: ResolvedUser = resolveUser(exec.User || merged.config.User, PASSWD, GROUP);
  return buildExecProcess(merged, exec, user, NO_RESOURCE);
}

const rows: Row[] = [
  {
    name: 'env: Docker\'s PATH and HOSTNAME, the container\'s Env, the exec\'s over it, HOME from passwd',
    container: { Cmd: ['sh'], Env: ['A=1', 'KEEP=k'] },
    exec: { Cmd: ['env'], Env: ['A=2', 'B=3'] },
    want: { env: [PATH, HOSTNAME, 'A=2', 'KEEP=k', 'HOME=/root', 'B=3'] },
  },
  {
    name: 'env: TERM=xterm only with a TTY; the container\'s HOME wins over passwd',
    container: { Cmd: ['sh'], Env: ['HOME=/data'] },
    exec: { Cmd: ['sh'], Tty: true, ConsoleSize: [30, 100] },
    want: { env: [PATH, HOSTNAME, 'TERM=xterm', 'HOME=/data'], terminal: true, consoleSize: { height: 30, width: 100 } },
  },
  {
    name: 'no TTY: no TERM, no console size even when one is given',
    container: { Cmd: ['sh'], Tty: true },
    exec: { Cmd: ['true'], ConsoleSize: [30, 100] },
    want: { env: [PATH, HOSTNAME, 'HOME=/root'], terminal: false },
  },
  {
    name: 'user: the container\'s (by name) with its primary and supplementary groups',
    container: { Cmd: ['sh'], User: 'app' },
    exec: { Cmd: ['id'] },
    want: { user: { uid: 1000, gid: 1000, additionalGids: [50], umask: 0o022 } },
  },
  {
    name: 'user: the exec\'s overrides the container\'s; uid:gid numbers need no passwd entry',
    container: { Cmd: ['sh'], User: 'app' },
    exec: { Cmd: ['id'], User: '4242:77' },
    want: { user: { uid: 4242, gid: 77, additionalGids: [], umask: 0o022 } },
  },
  {
    name: 'cwd: the container\'s WorkingDir by default',
    container: { Cmd: ['sh'], WorkingDir: '/srv/app' },
    exec: { Cmd: ['pwd'] },
    want: { cwd: '/srv/app' },
  },
  {
    name: 'cwd: / when neither has one; the exec\'s wins',
    container: { Cmd: ['sh'] },
    exec: { Cmd: ['pwd'], WorkingDir: '/tmp' },
    want: { cwd: '/tmp' },
  },
  {
    name: 'ulimits: every HostConfig.Ulimits entry as an rlimit',
    container: { Cmd: ['sh'], HostConfig: { Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }, { Name: 'nproc', Soft: 50, Hard: 60 }] } },
    exec: { Cmd: ['sh', '-c', 'ulimit -n'] },
    want: { rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 2048 }, { type: 'RLIMIT_NPROC', soft: 50, hard: 60 }] },
  },
  {
    name: 'ulimits: none given, none set (the process keeps what it inherits)',
    container: { Cmd: ['sh'] },
    exec: { Cmd: ['true'] },
    want: { rlimits: undefined },
  },
  {
    name: 'caps: Docker\'s defaults with the container\'s --cap-add/--cap-drop',
    container: { Cmd: ['sh'], HostConfig: { CapAdd: ['NET_ADMIN'], CapDrop: ['CHOWN'] } },
    exec: { Cmd: ['true'] },
    want: { capabilities: (() => { const c = [...DEFAULT_CAPABILITIES.filter((x) => x !== 'CAP_CHOWN'), 'CAP_NET_ADMIN']; return { bounding: c, effective: c, permitted: c, inheritable: [], ambient: [] }; })() },
  },
  {
    name: 'caps: exec --privileged gets every capability the service holds, whatever the container dropped',
    container: { Cmd: ['sh'], HostConfig: { CapDrop: ['ALL'] } },
    exec: { Cmd: ['true'], Privileged: true },
    want: { capabilities: { bounding: NO_RESOURCE, effective: NO_RESOURCE, permitted: NO_RESOURCE, inheritable: [], ambient: [] } },
  },
  {
    name: 'caps: a --privileged container\'s execs get them too',
    container: { Cmd: ['sh'], HostConfig: { Privileged: true } },
    exec: { Cmd: ['true'] },
    want: { capabilities: { bounding: NO_RESOURCE, effective: NO_RESOURCE, permitted: NO_RESOURCE, inheritable: [], ambient: [] } },
  },
  {
    name: 'no_new_privs from the container\'s security options; argv as given (a string is one word)',
    container: { Cmd: ['sh'], HostConfig: { SecurityOpt: ['no-new-privileges:true'] } },
    exec: { Cmd: 'uptime' },
    want: { noNewPrivileges: true, args: ['uptime'] },
  },
];

for (const row of rows) {
  test(`exec process: ${row.name}`, () => {
    const p = build(row.container, row.exec);
    for (const [key, value] of Object.entries(row.want)) assert.deepEqual(p[key as keyof ProcessSpec], value, key);
  });
}

const bad: Array<[string, CreateRequest, ExecRequest, RegExp]> = [
  ['no command', { Cmd: ['sh'] }, { Cmd: [] }, /^No exec command specified$/],
  ['no command (null)', { Cmd: ['sh'] }, { Cmd: null }, /^No exec command specified$/],
  ['a relative working directory', { Cmd: ['sh'] }, { Cmd: ['pwd'], WorkingDir: 'tmp' }, /^the working directory 'tmp' is invalid, it needs to be an absolute path$/],
  ['a ./ working directory', { Cmd: ['sh'] }, { Cmd: ['pwd'], WorkingDir: './' }, /^the working directory '\.\/' is invalid, it needs to be an absolute path$/],
  ['a console size that is not [h, w]', { Cmd: ['sh'] }, { Cmd: ['sh'], Tty: true, ConsoleSize: [24] as unknown as [number, number] }, /^invalid ConsoleSize \[24\]/],
  ['an unknown ulimit in the stored container', { Cmd: ['sh'], HostConfig: { Ulimits: [{ Name: 'bogus', Soft: 1, Hard: 1 }] } }, { Cmd: ['true'] }, /^invalid ulimit type: bogus$/],
];

for (const [name, container, exec, message] of bad) {
  test(`exec process refused: ${name} (400)`, () => {
    assert.throws(() => build(container, exec), (err: Error & { status?: number }) => message.test(err.message) && err.status === 400);
  });
}
