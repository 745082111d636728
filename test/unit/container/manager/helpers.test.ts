import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachAll, linkedLowerDirs, recordedPorts, reserveAll, shouldRestart, startFailureExitCode } from '../../../../runtime/container/manager-helpers';
import { shortId } from '../../../../runtime/image/layers';
import { Rollback } from '../../../../runtime/container/rollback';
import { newState } from '../../../../runtime/container/state';
import { makeRecord } from '../state/fixtures';

function fakePublisher(busy: number, log: string[]) {
  return {
    reserve: async (m: { hostIp: string; hostPort: number; containerPort: number }, owner: { id: string; name: string }) => {
      log.push(`reserve ${m.hostPort} for ${owner.name}`);
      if (m.hostPort === busy) throw Object.assign(new Error('address already in use'), { status: 409 });
      return {
        hostIp: m.hostIp, hostPort: m.hostPort, containerPort: m.containerPort,
        attach: async (pid: number) => { if (pid === 0) throw new Error('no such process'); log.push(`attach ${m.hostPort} ${pid}`); },
        close: async () => { log.push(`close ${m.hostPort}`); },
      };
    },
  };
}

const owner = { id: 'c'.repeat(64), name: 'web' };

test('reserveAll: no publisher binds nothing; each port for its container; a failure undoes the ones bound', async () => {
  const mapping = { hostIp: '127.0.0.1', hostPort: 4000, containerPort: 80, proto: 'tcp' as const };
  assert.deepEqual(await reserveAll(undefined, [mapping], new Rollback(), owner), []);
  const log: string[] = [];
  const undo = new Rollback();
  await assert.rejects(reserveAll(fakePublisher(4001, log), [mapping, { ...mapping, hostPort: 4001 }], undo, owner), /address already in use/);
  assert.deepEqual(await undo.run(), []);
  assert.deepEqual(log, ['reserve 4000 for web', 'reserve 4001 for web', 'close 4000']);
});

test('recordedPorts: what inspect and ps read of the ports that serve a container', () => {
  const close = async () => undefined;
  assert.deepEqual(recordedPorts([{ hostIp: '0.0.0.0', hostPort: 4000, containerPort: 80, close }, { hostIp: '127.0.0.1', hostPort: 41234, containerPort: 443, close }]), [
    { hostIp: '0.0.0.0', hostPort: 4000, containerPort: 80, proto: 'tcp' },
    { hostIp: '127.0.0.1', hostPort: 41234, containerPort: 443, proto: 'tcp' },
  ]);
});

test('attachAll: serves the pid; a process already gone closes its ports, a live one is an error', async () => {
  const mapping = { hostIp: '127.0.0.1', hostPort: 4000, containerPort: 80, proto: 'tcp' as const };
  const table: Array<[number, boolean, string[], number | RegExp]> = [
    [42, true, ['attach 4000 42', 'attach 4001 42'], 2],
    [0, false, ['close 4000', 'close 4001'], 0],
    [0, true, [], /no such process/],
  ];
  for (const [pid, alive, want, result] of table) {
    const log: string[] = [];
    const reserved = await reserveAll(fakePublisher(-1, log), [mapping, { ...mapping, hostPort: 4001 }], new Rollback(), owner);
    log.splice(0);
    const attached = attachAll(reserved, pid, () => alive);
    if (result instanceof RegExp) await assert.rejects(attached, result);
    else assert.equal((await attached).length, result);
    assert.deepEqual(log, want, `pid ${pid}, alive ${alive}`);
  }
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

test('linkedLowerDirs: image layers by their store\'s l/ link where it exists, anything else as it is', () => {
  const hex = (c: string) => c.repeat(64);
  const store = '/s/image';
  const linked = `${store}/l/${shortId(`sha256:${hex('a')}`)}`;
  const dirs = ['/s/containers/x/init', `${store}/layers/${hex('a')}/diff`, `${store}/layers/${hex('b')}/diff`, '/elsewhere/rootfs'];
  assert.deepEqual(linkedLowerDirs(dirs, (p) => p === linked), ['/s/containers/x/init', linked, `${store}/layers/${hex('b')}/diff`, '/elsewhere/rootfs']);
  assert.match(linked, /^\/s\/image\/l\/[A-Z2-7]{26}$/);
});
