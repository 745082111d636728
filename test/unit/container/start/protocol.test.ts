import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ContainerSetupError, LineDecoder, ProtocolError, encodeLine, expectMessage, selfJoinFiles, startConfig, type InitReport, type MainMessage, type StartJob, type WorkerEvent,
} from '../../../../runtime/container/start/protocol';
import { failureOf } from '../../../../runtime/container/start/steps';
import { SyscallError } from '../../../../runtime/linux/syscalls';

test('expectMessage passes an allowed message through', () => {
  const msg: unknown = { type: 'spawned', pid: 42 };
  assert.equal(expectMessage<WorkerEvent, 'spawned' | 'failed'>('the worker', msg, ['spawned', 'failed']).type, 'spawned');
});

const unexpected: Array<[string, unknown, string]> = [
  ['wrong type', { type: 'started' }, 'unexpected message "started" from the worker; expected spawned or failed'],
  ['no type', { pid: 1 }, 'unexpected message {"pid":1} from the worker; expected spawned or failed'],
  ['not an object', 'hello', 'unexpected message "hello" from the worker; expected spawned or failed'],
];
for (const [name, msg, text] of unexpected) {
  test(`expectMessage rejects ${name}, naming what was expected`, () => {
    assert.throws(() => expectMessage<WorkerEvent, 'spawned' | 'failed'>('the worker', msg, ['spawned', 'failed']), (err: unknown) => {
      assert.ok(err instanceof ProtocolError);
      assert.equal(err.message, text);
      return true;
    });
  });
}

test('expectMessage at a step that allows no message says so', () => {
  assert.throws(() => expectMessage<MainMessage, 'continue'>('the service', { type: 'continue' }, []),
    { message: 'unexpected message "continue" from the service; expected no message at this step' });
});

// cgroup v1 directories hold a `tasks` file beside cgroup.procs; v2 ones do not.
const v1 = ['/cg/memory/slipway/c1', '/cg/pids/slipway/c1'];
const selfJoin: Array<[string, string[], string[], string[] | undefined]> = [
  ['v1: the tasks file beside each cgroup.procs', v1.map((d) => `${d}/cgroup.procs`), v1.flatMap((d) => [`${d}/cgroup.procs`, `${d}/tasks`]), v1.map((d) => `${d}/tasks`)],
  ['v2: no tasks file, the service writes the pid', ['/cg/slipway/c1/cgroup.procs'], ['/cg/slipway/c1/cgroup.procs'], undefined],
  ['one hierarchy without tasks: none self-joined', v1.map((d) => `${d}/cgroup.procs`), [`${v1[0]}/tasks`], undefined],
  ['not a cgroup.procs path', ['/cg/memory/slipway/c1/other'], ['/cg/memory/slipway/c1/tasks'], undefined],
  ['no cgroups at all: nothing to join, nothing to wait for', [], [], []],
];
for (const [name, procs, present, want] of selfJoin) {
  test(`selfJoinFiles: ${name}`, () => {
    assert.deepEqual(selfJoinFiles(procs, (f) => present.includes(f)), want);
  });
}

test('startConfig carries the cgroup tasks files to the init only when the job has them', () => {
  const job = { kind: 'start', spec: { process: { args: ['true'] } }, stdio: { stdin: null, stdout: '/o', stderr: '/e' }, nodePath: 'node', initPath: 'init.js' } as unknown as StartJob;
  assert.deepEqual(Object.keys(startConfig(job)).sort(), ['spec', 'stdio', 'type']);
  assert.deepEqual(startConfig({ ...job, cgroupTasks: ['/cg/x/tasks'] }).cgroupTasks, ['/cg/x/tasks']);
});

test('LineDecoder reassembles messages split across chunks', () => {
  const d = new LineDecoder();
  const line = encodeLine({ type: 'failed', failure: { step: 'mount', path: '/proc', code: 'EPERM', message: 'x', exitCode: 1 } });
  assert.deepEqual(d.push(line.slice(0, 10)), []);
  assert.deepEqual(d.push(line.slice(10) + encodeLine({ type: 'exec' }).slice(0, 5)), [JSON.parse(line)]);
  assert.equal(d.pending, '{"typ');
  assert.deepEqual(d.push('e":"exec"}\n'), [{ type: 'exec' } satisfies InitReport]);
});

test('failureOf keeps step, path and errno name; ContainerSetupError maps exit codes to statuses', () => {
  const f = failureOf('mount', '/proc', new SyscallError('mount', ['proc', '/r/proc', 'proc', 14, null], 1));
  assert.deepEqual(f, {
    step: 'mount', path: '/proc', code: 'EPERM', exitCode: 1,
    message: 'container setup failed: mount /proc: mount("proc", "/r/proc", "proc", 14, null) failed: EPERM',
  });
  assert.equal(new ContainerSetupError(f).status, 500);
  assert.equal(new ContainerSetupError({ ...f, exitCode: 127 }).status, 400);
});
