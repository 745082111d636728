// The pure HEALTHCHECK scheduler: defaults, probe argv, next delay, result folding (streaks,
// start period, retries, log of 5), output truncation, timeout result, merge and validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkHealthConfig, initialHealth, mergeHealthcheck, nextDelay, probeCommand, recordResult, timeoutResult, timing, truncateOutput,
  type HealthResult, type HealthState,
} from '../../../../runtime/container/health/schedule';

const S = 1e9;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number, exitCode: number, output = ''): HealthResult => ({ Start: new Date(T0 + ms).toISOString(), End: new Date(T0 + ms + 5).toISOString(), ExitCode: exitCode, Output: output });

test('timing: defaults of daemon/health.go, nanoseconds to ms', () => {
  assert.deepEqual(timing({}), { intervalMs: 30_000, timeoutMs: 30_000, startPeriodMs: 0, startIntervalMs: 5_000, retries: 3 });
  assert.deepEqual(timing({ Interval: 2 * S, Timeout: 0.5 * S, StartPeriod: 10 * S, StartInterval: 0.1 * S, Retries: 1 }),
    { intervalMs: 2000, timeoutMs: 500, startPeriodMs: 10_000, startIntervalMs: 100, retries: 1 });
  assert.equal(timing({ Retries: 0 }).retries, 3);
});

const probes: Array<[string, Parameters<typeof probeCommand>, string[] | undefined]> = [
  ['CMD is argv', [{ Test: ['CMD', 'wget', '-q', 'x'] }], ['wget', '-q', 'x']],
  ['CMD-SHELL through /bin/sh -c', [{ Test: ['CMD-SHELL', 'test -f /ok || exit 1'] }], ['/bin/sh', '-c', 'test -f /ok || exit 1']],
  ['CMD-SHELL through the image SHELL', [{ Test: ['CMD-SHELL', 'echo hi'] }, ['/bin/bash', '-ec']], ['/bin/bash', '-ec', 'echo hi']],
  ['NONE disables', [{ Test: ['NONE'] }], undefined],
  ['no config', [undefined], undefined],
  ['empty test', [{ Test: [] }], undefined],
  ['CMD without a command', [{ Test: ['CMD'] }], undefined],
  ['unknown kind', [{ Test: ['HTTP', '/'] }], undefined],
];
for (const [name, args, want] of probes) test(`probeCommand: ${name}`, () => assert.deepEqual(probeCommand(...args), want));

test('nextDelay: start interval only while starting within the start period', () => {
  const t = timing({ Interval: 10 * S, StartPeriod: 5 * S, StartInterval: 1 * S });
  const rows: Array<[number, HealthState['Status'], number]> = [
    [0, 'starting', 1000], [4999, 'starting', 1000], [5000, 'starting', 10_000], [1000, 'healthy', 10_000], [1000, 'unhealthy', 10_000],
  ];
  for (const [elapsed, status, want] of rows) assert.equal(nextDelay(t, T0, T0 + elapsed, status), want, `${elapsed} ${status}`);
});

test('recordResult: a sequence of results, state after each', () => {
  const t = timing({ Retries: 2, StartPeriod: 3 * S });
  // [ms since start, exit code, status after, streak after, event due]
  const steps: Array<[number, number, HealthState['Status'], number, boolean]> = [
    [1000, 1, 'starting', 0, false], // failure inside the start period: forgiven
    [2000, 1, 'starting', 0, false],
    [4000, 1, 'starting', 1, false], // after the start period it counts
    [5000, 0, 'healthy', 0, true],
    [6000, 1, 'healthy', 1, false],
    [7000, -1, 'unhealthy', 2, true], // a timeout (-1) is a failure
    [8000, 1, 'unhealthy', 3, false],
    [9000, 0, 'healthy', 0, true],
  ];
  let st = initialHealth();
  steps.forEach(([ms, code, status, streak, changed], i) => {
    const r = recordResult(st, at(ms, code), t, T0);
    assert.equal(r.state.Status, status, `step ${i}`);
    assert.equal(r.state.FailingStreak, streak, `step ${i}`);
    assert.equal(r.changed, changed, `step ${i}`);
    st = r.state;
  });
  assert.equal(st.Log.length, 5, 'only the last 5 results are kept');
  assert.deepEqual(st.Log.map((l) => l.Start), steps.slice(-5).map(([ms]) => new Date(T0 + ms).toISOString()));
});

test('recordResult: once healthy, the start period no longer forgives', () => {
  const t = timing({ Retries: 1, StartPeriod: 60 * S });
  const healthy = recordResult(initialHealth(), at(100, 0), t, T0).state;
  const r = recordResult(healthy, at(200, 1), t, T0);
  assert.equal(r.state.Status, 'unhealthy');
  assert.equal(r.changed, true);
});

test('initialHealth: a restart resets status and streak, keeps the log', () => {
  const prev: HealthState = { Status: 'unhealthy', FailingStreak: 4, Log: [at(1, 1)] };
  assert.deepEqual(initialHealth(prev), { Status: 'starting', FailingStreak: 0, Log: prev.Log });
});

test('truncateOutput: 4096 bytes then "..."', () => {
  assert.equal(truncateOutput(Buffer.from('ok\n')), 'ok\n');
  assert.equal(truncateOutput(Buffer.alloc(4096, 'a')), 'a'.repeat(4096));
  assert.equal(truncateOutput(Buffer.alloc(5000, 'b')), `${'b'.repeat(4096)}...`);
});

test('timeoutResult names the timeout as Go prints a duration', () => {
  const r = timeoutResult(new Date(T0), new Date(T0 + 500), timing({ Timeout: 0.5 * S }));
  assert.deepEqual(r, { Start: new Date(T0).toISOString(), End: new Date(T0 + 500).toISOString(), ExitCode: -1, Output: 'Health check exceeded timeout (500ms)' });
});

test('mergeHealthcheck: moby daemon/commit.go merge', () => {
  const image = { Test: ['CMD', 'true'], Interval: 5 * S, Retries: 4 };
  assert.deepEqual(mergeHealthcheck(undefined, image), image);
  assert.equal(mergeHealthcheck(undefined, undefined), undefined);
  assert.deepEqual(mergeHealthcheck({ Interval: 1 * S }, image), { Test: ['CMD', 'true'], Interval: 1 * S, Retries: 4 });
  assert.deepEqual(mergeHealthcheck({ Test: ['NONE'] }, image), { Test: ['NONE'], Interval: 5 * S, Retries: 4 });
  assert.deepEqual(mergeHealthcheck({ Test: ['CMD-SHELL', 'x'] }, undefined), { Test: ['CMD-SHELL', 'x'] });
});

test('checkHealthConfig: moby wording for bad values', () => {
  const bad: Array<[Parameters<typeof checkHealthConfig>[0], RegExp]> = [
    [{ Interval: 1000 }, /Interval in Healthcheck cannot be less than 1ms/],
    [{ Timeout: 10 }, /Timeout in Healthcheck cannot be less than 1ms/],
    [{ StartPeriod: 5 }, /StartPeriod in Healthcheck cannot be less than 1ms/],
    [{ StartInterval: 5 }, /StartInterval in Healthcheck cannot be less than 1ms/],
    [{ Retries: -1 }, /Retries in Healthcheck cannot be negative/],
  ];
  for (const [hc, re] of bad) assert.throws(() => checkHealthConfig(hc), re);
  assert.doesNotThrow(() => checkHealthConfig({ Test: ['CMD', 'true'], Interval: 0, Timeout: 1e6, Retries: 0 }));
  assert.doesNotThrow(() => checkHealthConfig(undefined));
});
