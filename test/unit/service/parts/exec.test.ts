// The service's exec instances (ExecRegistry) without a kernel: the process is started by an
// injected runner that records the spec it was given and exits when told. What is checked:
// Docker's exec events (actions with the command, execID/exitCode, the container's labels),
// the spec from the one builder (user from the container's passwd, ulimits, workdir), the
// 400/409s at create, exit codes of a failed start, ExecIDs and the dropping of ended execs,
// and health probes as exec instances.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { mergeCreateRequest, type CreateRequest } from '../../../../runtime/container/config';
import type { ExecProcess } from '../../../../runtime/container/exec/exec';
import type { ProcessSpec } from '../../../../runtime/container/spec';
import { ContainerSetupError } from '../../../../runtime/container/start/protocol';
import { newState, type ContainerRecord, type ContainerStatus } from '../../../../runtime/container/state';
import { NotFoundError } from '../../../../runtime/errors';
import { ENDED_EXEC_TTL_MS, ExecRegistry, MAX_ENDED_EXECS, execAction } from '../../../../runtime/service/parts/exec';

const ID = 'c0ffee000000' + '1'.repeat(52);
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nweb:x:33:33::/var/www:/bin/false\n';

interface Published { action: string; id: string; attrs: Record<string, string> }
interface Started { spec: ProcessSpec; stdin: boolean; exit(code: number): void }

function harness(body: CreateRequest = { Cmd: ['sleep', '300'] }, status: ContainerStatus = 'running') {
  const merged = mergeCreateRequest(body, {}, { id: ID, hostCpus: 2, hostHostname: 'h' });
  const rec: ContainerRecord = {
    version: 1, id: ID, name: 'box', created: new Date(0).toISOString(), image: 'busybox', imageId: 'sha256:0',
    config: merged.config, hostConfig: merged.hostConfig, path: merged.path, args: merged.args,
    state: { ...newState(), status, pid: status === 'running' || status === 'paused' ? 4242 : 0 },
    mounts: [], ports: [], restartCount: 0, logPath: '/dev/null',
  };
  const events: Published[] = [];
  const errors: unknown[] = [];
  const started: Started[] = [];
  let clock = 1_000_000;
  let failWith: unknown;
  const registry = new ExecRegistry({
    store: { get: (ref: string) => { if (ref !== ID && ref !== 'box') throw new NotFoundError(`No such container: ${ref}`); return rec; } },
    cgroups: undefined as never, sys: undefined as never,
    publish: (action, r, attrs) => events.push({ action, id: r.id, attrs }),
    onError: (_c, err) => errors.push(err),
    userFiles: () => ({ passwd: PASSWD, group: 'root:x:0:\nwww-data:x:33:\n' }),
    boundingCapabilities: () => ['CAP_CHOWN', 'CAP_KILL'],
    now: () => clock,
    run: async (_r, spec, stdin) => {
      if (failWith) throw failWith;
      let exit!: (code: number) => void;
      const exited = new Promise<{ exitCode: number }>((resolve) => { exit = (exitCode) => resolve({ exitCode }); });
      started.push({ spec, stdin, exit });
      const proc: ExecProcess = { pid: 5000 + started.length, exited, stdout: new PassThrough() as never, stderr: new PassThrough() as never, kill: () => exit(137) };
      return proc;
    },
  });
  return {
    rec, registry, events, errors, started,
    tick: (ms: number) => { clock += ms; },
    failNext: (err: unknown) => { failWith = err; },
    actions: () => events.map((e) => e.action),
  };
}

test('execAction: Docker\'s "exec_start: <entrypoint> <args>", with the space when there are no args', () => {
  const table: Array<[Parameters<typeof execAction>[0], string[], string]> = [
    ['exec_create', ['sh', '-c', 'echo hi'], 'exec_create: sh -c echo hi'],
    ['exec_start', ['true'], 'exec_start: true '],
    ['exec_start', ['/bin/sh', '-c', 'exit 3'], 'exec_start: /bin/sh -c exit 3'],
  ];
  for (const [action, cmd, want] of table) assert.equal(execAction(action, cmd), want);
});

test('create → start → exit: exec_create, exec_start, exec_die with execID, exitCode and the labels', async () => {
  const h = harness({ Cmd: ['sleep', '300'], Labels: { team: 'infra', name: 'label-loses' } });
  const { Id } = h.registry.create('box', { Cmd: ['sh', '-c', 'exit 3'], AttachStdout: true });
  assert.match(Id, /^[0-9a-f]{64}$/);
  const e = await h.registry.start(Id, { stdin: false });
  assert.deepEqual(h.registry.inspect(Id).Running, true);
  h.started[0].exit(3);
  await e.done;
  assert.deepEqual(h.actions(), ['exec_create: sh -c exit 3', 'exec_start: sh -c exit 3', 'exec_die']);
  assert.deepEqual(h.events.map((x) => x.attrs), [
    { team: 'infra', name: 'label-loses', execID: Id },
    { team: 'infra', name: 'label-loses', execID: Id },
    { team: 'infra', name: 'label-loses', execID: Id, exitCode: '3' },
  ]);
  assert.ok(h.events.every((x) => x.id === ID));
  assert.deepEqual([h.registry.inspect(Id).Running, h.registry.inspect(Id).ExitCode], [false, 3]);
  await assert.rejects(h.registry.start(Id, { stdin: false }), { status: 409, message: `Error: Exec command ${Id} has already run` } as object);
});

test('the spec comes from the one builder: the container\'s user and ulimits, the exec\'s env and tty', async () => {
  const h = harness({ Cmd: ['httpd'], User: 'web', WorkingDir: '/srv', Env: ['A=1'], HostConfig: { Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }] } });
  const { Id } = h.registry.create(ID, { Cmd: ['sh'], Env: ['B=2'], Tty: true, AttachStdin: true });
  await h.registry.start(Id, { stdin: true, consoleSize: [40, 120] });
  const { spec, stdin } = h.started[0];
  assert.equal(stdin, true);
  assert.deepEqual(spec.user, { uid: 33, gid: 33, additionalGids: [], umask: 0o022 });
  assert.equal(spec.cwd, '/srv');
  assert.deepEqual(spec.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 2048 }]);
  assert.deepEqual(spec.env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=c0ffee000000', 'TERM=xterm', 'A=1', 'HOME=/var/www', 'B=2']);
  assert.deepEqual([spec.terminal, spec.consoleSize], [true, { height: 40, width: 120 }]);
  // Privileged: the service's bounding set, not Docker's defaults.
  const priv = h.registry.create(ID, { Cmd: ['id'], Privileged: true, User: '0' });
  await h.registry.start(priv.Id, { stdin: false });
  assert.deepEqual(h.started[1].spec.capabilities?.effective, ['CAP_CHOWN', 'CAP_KILL']);
  assert.equal(h.started[1].spec.user.uid, 0);
});

test('bad requests fail at create with Docker\'s words, and make no instance or event', () => {
  const table: Array<[string, ContainerStatus, unknown, number, RegExp]> = [
    ['no command', 'running', { Cmd: [] }, 400, /^No exec command specified$/],
    ['relative -w', 'running', { Cmd: ['pwd'], WorkingDir: 'rel/dir' }, 400, /^the working directory 'rel\/dir' is invalid, it needs to be an absolute path$/],
    ['unknown user', 'running', { Cmd: ['id'], User: 'nobody-here' }, 400, /^unable to find user nobody-here: no matching entries in passwd file$/],
    ['paused', 'paused', { Cmd: ['id'] }, 409, /is paused, unpause the container before exec$/],
    ['restarting', 'restarting', { Cmd: ['id'] }, 409, /is restarting, wait until the container is running$/],
    ['exited', 'exited', { Cmd: ['id'] }, 409, /^Container c0ffee0+1+ is not running$/],
  ];
  for (const [name, status, body, code, message] of table) {
    const h = harness(undefined, status);
    assert.throws(() => h.registry.create('box', body as never), (err: Error & { status?: number }) => err.status === code && message.test(err.message), name);
    assert.deepEqual([h.events, h.registry.idsOf(ID)], [[], []], name);
  }
  assert.throws(() => harness().registry.create('nope', { Cmd: ['id'] }), { status: 404 } as object);
});

test('a start that fails: the start-up\'s exit code (127, 126, else 128), exec_start but no exec_die', async () => {
  const table: Array<[unknown, number]> = [
    [new ContainerSetupError({ step: 'exec', path: 'nope', code: 'ENOENT', message: 'exec: "nope": executable file not found in $PATH', exitCode: 127 }), 127],
    [new ContainerSetupError({ step: 'exec', path: '/etc', code: 'EACCES', message: 'exec: "/etc": permission denied', exitCode: 126 }), 126],
    [new Error('the worker went away'), 128],
  ];
  for (const [err, code] of table) {
    const h = harness();
    const { Id } = h.registry.create('box', { Cmd: ['nope'] });
    h.failNext(err);
    await assert.rejects(h.registry.start(Id, { stdin: false }), (e) => e === err);
    assert.deepEqual([h.registry.inspect(Id).ExitCode, h.registry.inspect(Id).Running], [code, false]);
    assert.deepEqual(h.actions(), ['exec_create: nope ', 'exec_start: nope ']);
  }
});

// [the start-up's failure, exit code recorded, the message the client gets]
const cwdFailures: Array<[ContainerSetupError, number, RegExp]> = [
  [new ContainerSetupError({ step: 'working directory', path: '/nonexist', code: 'ENOENT', message: 'container setup failed: working directory /nonexist: ENOENT', exitCode: 1 }), 126,
    /^OCI runtime exec failed: exec failed: unable to start container process: chdir to cwd \("\/nonexist"\) set in config.json failed: no such file or directory: unknown$/],
  [new ContainerSetupError({ step: 'change to working directory', path: '/nonexist', message: 'container setup failed: not a directory', exitCode: 1 }), 126,
    /chdir to cwd \("\/nonexist"\) set in config.json failed: not a directory: unknown$/],
  [new ContainerSetupError({ step: 'set user', path: '5', code: 'EPERM', message: 'container setup failed: set user 5: EPERM', exitCode: 1 }), 1, /^container setup failed: set user 5: EPERM$/],
];
for (const [err, code, message] of cwdFailures) {
  test(`exec -w with no such directory (${err.step}): docker's chdir wording, exit ${code}`, async () => {
    const h = harness();
    const { Id } = h.registry.create('box', { Cmd: ['true'], WorkingDir: '/nonexist' });
    h.failNext(err);
    await assert.rejects(h.registry.start(Id, { stdin: false }), (e) => message.test((e as Error).message));
    assert.equal(h.registry.inspect(Id).ExitCode, code);
  });
}

test('ExecIDs lists the execs that have not ended; ended ones are dropped after the TTL or beyond the cap', async () => {
  const h = harness();
  const a = h.registry.create('box', { Cmd: ['a'] }).Id;
  const b = h.registry.create('box', { Cmd: ['b'] }).Id;
  const done = await h.registry.start(a, { stdin: false });
  h.started[0].exit(0);
  await done.done;
  assert.deepEqual(h.registry.idsOf(ID), [b], 'a has ended; b is created, not started');
  assert.equal(h.registry.inspect(a).ExitCode, 0, 'an ended exec can still be inspected');
  h.tick(ENDED_EXEC_TTL_MS + 1);
  h.registry.create('box', { Cmd: ['c'] });
  assert.throws(() => h.registry.inspect(a), { status: 404, message: `No such exec instance: ${a}` } as object);
  assert.equal(h.registry.inspect(b).Running, false, 'one never started is kept');
  // The cap: with many ended within the TTL, only the newest MAX_ENDED_EXECS stay.
  const ended: string[] = [];
  for (let i = 0; i <= MAX_ENDED_EXECS; i++) {
    const { Id } = h.registry.create('box', { Cmd: ['x'] });
    const e = await h.registry.start(Id, { stdin: false });
    h.started.at(-1)!.exit(0);
    await e.done;
    h.tick(1);
    ended.push(Id);
  }
  h.registry.create('box', { Cmd: ['y'] });
  assert.throws(() => h.registry.inspect(ended[0]), { status: 404 } as object);
  assert.equal(h.registry.inspect(ended[1]).ExitCode, 0);
  h.registry.forget(ID);
  assert.throws(() => h.registry.inspect(b), { status: 404 } as object);
});

test('probe(): an exec instance with the container\'s user and workdir, no TTY, not privileged; its events', async () => {
  const h = harness({ Cmd: ['httpd'], User: 'web', WorkingDir: '/srv' });
  const proc = await h.registry.probe(ID, ['/bin/sh', '-c', 'wget -q -O- 127.0.0.1']);
  const { spec, stdin } = h.started[0];
  assert.deepEqual([spec.args, spec.user.uid, spec.cwd, spec.terminal, stdin], [['/bin/sh', '-c', 'wget -q -O- 127.0.0.1'], 33, '/srv', false, false]);
  assert.deepEqual(spec.capabilities?.effective, h.started[0].spec.capabilities?.bounding);
  assert.ok(!spec.capabilities?.effective?.includes('CAP_SYS_ADMIN'));
  proc.kill('SIGKILL');
  await proc.exited;
  await new Promise((r) => setImmediate(r));
  const execID = h.events[0].attrs.execID;
  assert.deepEqual(h.events.map((e) => [e.action, e.attrs.execID, e.attrs.exitCode]), [
    ['exec_create: /bin/sh -c wget -q -O- 127.0.0.1', execID, undefined],
    ['exec_start: /bin/sh -c wget -q -O- 127.0.0.1', execID, undefined],
    ['exec_die', execID, '137'],
  ]);
  assert.deepEqual(h.errors, []);
});
