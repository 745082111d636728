// HealthMonitor with a scripted probe runner and an in-memory store (real timers, ms
// intervals): state written to the record, health_status events on changes only, stop
// aborts a probe in flight and ends probing, resume keeps the state, NONE never probes,
// inspect and ps show the result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { HealthMonitor, type ProbeOutcome } from '../../../../runtime/container/health/monitor';
import { inspectJson, listJson, type ContainerRecord } from '../../../../runtime/container/state';
import type { HealthConfig } from '../../../../runtime/container/health/schedule';
import { makeRecord } from '../state/fixtures';

const MS = 1e6;

function setup(healthcheck: HealthConfig | undefined, outcomes: Array<Partial<ProbeOutcome> | 'hang'>) {
  const id = 'f'.repeat(64);
  const rec = makeRecord(id, 'probed', {}, { Image: 'busybox', Cmd: ['sleep', '9'], ...(healthcheck ? { Healthcheck: healthcheck } : {}) });
  rec.state = { ...rec.state, status: 'running', pid: 42, startedAt: new Date().toISOString() };
  const records = new Map<string, ContainerRecord>([[id, rec]]);
  const events: string[] = [];
  const calls: Array<{ argv: string[]; timeoutMs: number }> = [];
  let aborted = 0;
  const monitor = new HealthMonitor({
    store: {
      find: (ref) => records.get(ref),
      update: async (rid, change) => { const next = structuredClone(records.get(rid)!); change(next); records.set(rid, next); return next; },
    },
    probe: async (_id, argv, timeoutMs, signal) => {
      calls.push({ argv, timeoutMs });
      const o = outcomes.shift() ?? { exitCode: 0 };
      if (o === 'hang') {
        await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
        aborted++;
        return { exitCode: -1, output: Buffer.alloc(0), timedOut: false };
      }
      return { exitCode: 0, output: Buffer.alloc(0), timedOut: false, ...o };
    },
    publish: (_rec, action) => events.push(action),
    onError: (c, e) => assert.fail(`${c}: ${String(e)}`),
  });
  return { id, records, events, calls, monitor, get aborted() { return aborted; } };
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

test('passing probe: starting → healthy, one event, record and JSON show it', async () => {
  const h = setup({ Test: ['CMD-SHELL', 'exit 0'], Interval: 20 * MS, Timeout: 500 * MS }, [{ exitCode: 0, output: Buffer.from('fine\n') }]);
  await h.monitor.started(h.id);
  assert.equal(h.records.get(h.id)!.state.health?.Status, 'starting');
  assert.match(listJson(h.records.get(h.id)!).Status, /^Up .* \(health: starting\)$/);
  await until(() => h.records.get(h.id)!.state.health?.Status === 'healthy');
  await until(() => h.calls.length >= 3);
  h.monitor.stop(h.id);
  const rec = h.records.get(h.id)!;
  assert.deepEqual(h.events, ['health_status: healthy']);
  assert.deepEqual(h.calls[0], { argv: ['/bin/sh', '-c', 'exit 0'], timeoutMs: 500 });
  assert.equal(rec.state.health!.Log[0].Output, 'fine\n');
  assert.equal(rec.state.health!.Log[0].ExitCode, 0);
  assert.match(listJson(rec).Status, /^Up .* \(healthy\)$/);
  assert.equal((inspectJson(rec).State as { Health?: { Status: string } }).Health?.Status, 'healthy');
});

test('failing probe: unhealthy after Retries, timeout counted with its message', async () => {
  const h = setup({ Test: ['CMD', 'false'], Interval: 10 * MS, Timeout: 250 * MS, Retries: 3 }, [{ exitCode: 1 }, { timedOut: true, exitCode: 137 }, { exitCode: 2 }, { exitCode: 1 }]);
  await h.monitor.started(h.id);
  await until(() => h.records.get(h.id)!.state.health?.Status === 'unhealthy');
  h.monitor.stop(h.id);
  const health = h.records.get(h.id)!.state.health!;
  assert.equal(health.FailingStreak, 3);
  assert.deepEqual(health.Log.map((l) => l.ExitCode), [1, -1, 2]);
  assert.equal(health.Log[1].Output, 'Health check exceeded timeout (250ms)');
  assert.deepEqual(h.events, ['health_status: unhealthy']);
});

test('stop aborts a probe in flight and nothing more runs or is recorded', async () => {
  const h = setup({ Test: ['CMD', 'sleep', '100'], Interval: 10 * MS }, ['hang']);
  await h.monitor.started(h.id);
  await until(() => h.calls.length === 1);
  h.monitor.stop(h.id);
  await until(() => h.aborted === 1);
  await sleep(60);
  assert.equal(h.calls.length, 1);
  assert.deepEqual(h.records.get(h.id)!.state.health!.Log, []);
  assert.deepEqual(h.monitor.watching(), []);
});

test('resume keeps the state on disk (service restart, unpause)', async () => {
  const h = setup({ Test: ['CMD', 'true'], Interval: 10 * MS, Retries: 1 }, [{ exitCode: 1 }]);
  h.records.get(h.id)!.state.health = { Status: 'healthy', FailingStreak: 0, Log: [] };
  h.monitor.resume(h.id);
  await until(() => h.records.get(h.id)!.state.health?.Status === 'unhealthy');
  h.monitor.stop(h.id);
  assert.deepEqual(h.events, ['health_status: unhealthy']);
});

test('NONE or no HEALTHCHECK: no probes, no Health in inspect', async () => {
  for (const hc of [{ Test: ['NONE'] }, undefined]) {
    const h = setup(hc, []);
    await h.monitor.started(h.id);
    h.monitor.resume(h.id);
    await sleep(30);
    assert.equal(h.calls.length, 0);
    assert.deepEqual(h.monitor.watching(), []);
    const rec = h.records.get(h.id)!;
    assert.equal('Health' in inspectJson(rec).State, false);
    assert.doesNotMatch(listJson(rec).Status, /\(/);
  }
});

test('a container that exited before probing began is not watched', async () => {
  const h = setup({ Test: ['CMD', 'true'], Interval: 10 * MS }, []);
  h.records.get(h.id)!.state.status = 'exited';
  await h.monitor.started(h.id);
  h.monitor.resume(h.id);
  await sleep(40);
  assert.deepEqual(h.monitor.watching(), []);
  assert.equal(h.calls.length, 0);
});
