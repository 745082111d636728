// The credential sequence, recorded: bounding drop while root, keepcaps across the switch,
// groups → gid → uid with the raw calls, then the final capability sets; rlimits clamped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PR, RLIMITS } from '../../../../runtime/linux/constants';
import { RecordingSyscalls } from '../../../../runtime/linux/fake';
import { applyCredentials, applyRlimits, envObject } from '../../../../runtime/container/start/credentials';
import type { ProcessSpec } from '../../../../runtime/container/spec';
import { DOCKER_DEFAULT_CAPS } from '../../../helpers/rootfs';

const base: ProcessSpec = { args: ['sh'], env: [], cwd: '/', user: { uid: 1000, gid: 1000, additionalGids: [50] } };

test('Docker defaults as uid 1000: order of calls and the sets', () => {
  const sys = new RecordingSyscalls();
  applyCredentials(sys, { ...base, noNewPrivileges: true, capabilities: { bounding: DOCKER_DEFAULT_CAPS, effective: DOCKER_DEFAULT_CAPS, permitted: DOCKER_DEFAULT_CAPS } }, 40);
  const dropped = sys.named('prctl').filter((c) => c.args[0] === PR.CAPBSET_DROP).map((c) => c.args[1]);
  const kept = [0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31];
  assert.deepEqual(dropped, Array.from({ length: 41 }, (_, i) => i).filter((i) => !kept.includes(i)));
  const rest = sys.calls.filter((c) => !(c.call === 'prctl' && c.args[0] === PR.CAPBSET_DROP)).map((c) => [c.call, ...c.args.slice(0, 3)]);
  assert.deepEqual(rest, [
    ['prctl', PR.SET_KEEPCAPS, 1, 0],
    ['setgroups', [50]],
    ['setresgid', 1000, 1000, 1000],
    ['setresuid', 1000, 1000, 1000],
    ['prctl', PR.SET_KEEPCAPS, 0, 0],
    ['capset', { effective: [0xa80425fb, 0], permitted: [0xa80425fb, 0], inheritable: [0, 0] }],
    ['prctl', PR.SET_NO_NEW_PRIVS, 1, 0],
  ]);
  // The drops all come before the user switch, while the thread still has CAP_SETPCAP.
  const lastDrop = sys.calls.map((c) => c.call === 'prctl' && c.args[0] === PR.CAPBSET_DROP).lastIndexOf(true);
  assert.ok(sys.calls.findIndex((c) => c.call === 'setresuid') > lastDrop);
});

test('no capabilities section: runc leaves them alone and only switches the user', () => {
  const sys = new RecordingSyscalls();
  applyCredentials(sys, { ...base, user: { uid: 0, gid: 0 } }, 40);
  assert.deepEqual(sys.calls.map((c) => c.call), ['setgroups', 'setresgid', 'setresuid']);
  assert.deepEqual(sys.calls[0].args, [[]]);
});

test('ambient capabilities are raised after capset', () => {
  const sys = new RecordingSyscalls();
  applyCredentials(sys, { ...base, capabilities: { bounding: ['CAP_NET_BIND_SERVICE'], permitted: ['CAP_NET_BIND_SERVICE'], inheritable: ['CAP_NET_BIND_SERVICE'], ambient: ['CAP_NET_BIND_SERVICE'] } }, 40);
  assert.deepEqual(sys.calls.at(-1), { call: 'prctl', args: [PR.CAP_AMBIENT, 2, 10, 0, 0] });
});

test('an unknown capability fails before anything is dropped', () => {
  const sys = new RecordingSyscalls();
  assert.throws(() => applyCredentials(sys, { ...base, capabilities: { bounding: ['CAP_WARP'] } }, 40), /capabilities bounding: unknown capability "CAP_WARP"/);
  assert.equal(sys.calls.length, 0);
});

test('rlimits never go above the current hard limit', () => {
  const sys = new RecordingSyscalls();
  sys.rlimits.set(RLIMITS.RLIMIT_NOFILE, { soft: 1024, hard: 20000 });
  applyRlimits(sys, [{ type: 'RLIMIT_NOFILE', soft: 1048576, hard: 1048576 }, { type: 'RLIMIT_CORE', soft: 0, hard: 0 }]);
  assert.deepEqual(sys.named('setrlimit').map((c) => c.args), [
    [RLIMITS.RLIMIT_NOFILE, { soft: 20000, hard: 20000 }],
    [RLIMITS.RLIMIT_CORE, { soft: 0, hard: 0 }],
  ]);
  assert.throws(() => applyRlimits(sys, [{ type: 'RLIMIT_BOGUS', soft: 1, hard: 1 }]), /set rlimit RLIMIT_BOGUS: unknown rlimit type "RLIMIT_BOGUS"/);
});

test('envObject: K=V pairs, values with "=", later wins', () => {
  assert.deepEqual(envObject(['A=1', 'B=x=y', 'A=2', 'BAD']), { A: '2', B: 'x=y' });
});
