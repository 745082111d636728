import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, inspectJson, isSameProcess, listJson, newState, reconcileState, statusText } from '../../../../runtime/container/state';
import { makeRecord } from './fixtures';

const durations: Array<[number, string]> = [
  [500, 'Less than a second'], [1000, '1 second'], [45_000, '45 seconds'], [90_000, 'About a minute'],
  [10 * 60_000, '10 minutes'], [60 * 60_000, 'About an hour'], [5 * 3600_000, '5 hours'], [3 * 86400_000, '3 days'],
  [20 * 86400_000, '2 weeks'], [90 * 86400_000, '3 months'], [800 * 86400_000, '2 years'],
];
for (const [ms, want] of durations) test(`humanDuration(${ms}) = ${want}`, () => assert.equal(humanDuration(ms), want));

const T0 = Date.parse('2026-01-01T00:00:00Z');
const statuses: Array<[string, Partial<ReturnType<typeof newState>>, string]> = [
  ['created', {}, 'Created'],
  ['running', { status: 'running', startedAt: '2026-01-01T00:00:00Z' }, 'Up 5 minutes'],
  ['paused', { status: 'paused', startedAt: '2026-01-01T00:00:00Z' }, 'Up 5 minutes (Paused)'],
  ['exited', { status: 'exited', exitCode: 137, finishedAt: '2026-01-01T00:00:00Z' }, 'Exited (137) 5 minutes ago'],
  ['dead', { status: 'dead' }, 'Dead'],
];
for (const [name, st, want] of statuses) {
  test(`status text: ${name}`, () => {
    const rec = makeRecord('e'.repeat(64), 'x', { state: { ...newState(), ...st } });
    assert.equal(statusText(rec, T0 + 5 * 60_000), want);
  });
}

test('inspect: Docker field names, Name with slash, ports only while running', () => {
  const rec = makeRecord('f'.repeat(64), 'web', {
    state: { ...newState(), status: 'running', pid: 321, startedAt: '2026-01-01T00:00:00Z' },
    ports: [{ hostIp: '0.0.0.0', hostPort: 4000, containerPort: 80, proto: 'tcp' }],
  }, { Image: 'busybox', Cmd: ['httpd'], HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '4000' }] } } });
  const j = inspectJson(rec);
  assert.equal(j.Name, '/web');
  assert.deepEqual(j.State, { Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 321, ExitCode: 0, Error: '', StartedAt: '2026-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' });
  assert.deepEqual(j.NetworkSettings.Ports, { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '4000' }] });
  assert.equal(j.Config.Hostname, 'ffffffffffff');
  assert.equal(j.Path, 'httpd');
  const stopped = inspectJson({ ...rec, state: { ...rec.state, status: 'exited', pid: 0 } });
  assert.deepEqual(stopped.NetworkSettings.Ports, { '80/tcp': null });
  const l = listJson(rec, T0 + 3000);
  assert.deepEqual(l.Names, ['/web']);
  assert.equal(l.Command, 'httpd');
  assert.equal(l.Status, 'Up 3 seconds');
  assert.deepEqual(l.Ports, [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 4000, Type: 'tcp' }]);
  assert.equal(l.Created, T0 / 1000);
});

test('re-adoption: live same process untouched; gone → 255; gone after OOM → 137 OOMKilled', () => {
  const running = makeRecord('9'.repeat(64), 'r', { state: { ...newState(), status: 'running', pid: 100, pidStartTime: 5555 } });
  const now = () => new Date(T0);
  assert.equal(reconcileState(running, { startTimeOf: () => 5555, oomKills: () => 0, now }), undefined);
  const reused = reconcileState(running, { startTimeOf: () => 7777, oomKills: () => 0, now });
  assert.equal(reused?.status, 'exited');
  assert.equal(reused?.exitCode, 255);
  assert.equal(reused?.finishedAt, '2026-01-01T00:00:00.000Z');
  const oom = reconcileState(running, { startTimeOf: () => undefined, oomKills: () => 1, now });
  assert.deepEqual([oom?.exitCode, oom?.oomKilled, oom?.pid], [137, true, 0]);
  const exited = makeRecord('8'.repeat(64), 'e', { state: { ...newState(), status: 'exited' } });
  assert.equal(reconcileState(exited, { startTimeOf: () => undefined, oomKills: () => 0, now }), undefined);
  assert.equal(isSameProcess({ ...newState(), pid: 0 }, () => 1), false);
});
