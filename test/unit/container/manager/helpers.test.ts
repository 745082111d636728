import { test } from 'node:test';
import assert from 'node:assert/strict';
import { publishAll, shouldRestart, startFailureExitCode } from '../../../../runtime/container/manager-helpers';
import { Rollback } from '../../../../runtime/container/rollback';
import { newState } from '../../../../runtime/container/state';
import { makeRecord } from '../state/fixtures';

test('publishAll: no publisher means the caller serves the ports; a failure undoes the ones opened', async () => {
  const mapping = { hostIp: '127.0.0.1', hostPort: 4000, containerPort: 80, proto: 'tcp' as const };
  assert.deepEqual(await publishAll(undefined, 1, [mapping], new Rollback()), []);
  const closed: number[] = [];
  const undo = new Rollback();
  const publisher = {
    publish: async (_pid: number, m: typeof mapping) => {
      if (m.hostPort === 4001) throw Object.assign(new Error('address already in use'), { status: 409 });
      return { hostIp: m.hostIp, hostPort: m.hostPort, containerPort: m.containerPort, close: async () => { closed.push(m.hostPort); } };
    },
  };
  await assert.rejects(publishAll(publisher, 1, [mapping, { ...mapping, hostPort: 4001 }], undo), /address already in use/);
  assert.deepEqual(await undo.run(), []);
  assert.deepEqual(closed, [4000]);
});

const policies: Array<[string, number | undefined, number, number, boolean]> = [
  ['no', undefined, 1, 0, false],
  ['always', undefined, 0, 0, true],
  ['unless-stopped', undefined, 0, 5, true],
  ['on-failure', undefined, 0, 0, false],
  ['on-failure', undefined, 2, 9, true],
  ['on-failure', 3, 2, 2, true],
  ['on-failure', 3, 2, 3, false],
];
for (const [name, max, exitCode, restarts, want] of policies) {
  test(`restart policy ${name}${max ? `:${max}` : ''}, exit ${exitCode}, ${restarts} restarts → ${want}`, () => {
    const rec = makeRecord('a'.repeat(64), 'pp', { restartCount: restarts, state: { ...newState(), status: 'exited', exitCode } });
    rec.hostConfig.RestartPolicy = { Name: name, ...(max ? { MaximumRetryCount: max } : {}) };
    assert.equal(shouldRestart(rec), want);
  });
}

test('start failure exit codes: the error\'s own, else from the message', () => {
  assert.equal(startFailureExitCode(Object.assign(new Error('x'), { exitCode: 126 })), 126);
  assert.equal(startFailureExitCode(new Error('exec: "nope": executable file not found in $PATH')), 127);
  assert.equal(startFailureExitCode(new Error('permission denied')), 126);
  assert.equal(startFailureExitCode(new Error('mount failed')), 128);
});
