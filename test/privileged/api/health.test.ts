// HEALTHCHECK on the real kernel, driven by the stock docker CLI (its --health-* flags fill
// Config.Healthcheck): a passing check goes healthy within a second or two, a failing one
// unhealthy after its retries, a probe past its timeout is killed and counts as a failure,
// stop ends probing with no probe process left, and a service killed with -9 and started
// again resumes probing from the health state on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { privileged } from '../../helpers/tiers';
import { IMAGE, sandboxForFile, until } from './harness';

const box = sandboxForFile();

interface Health { Status: string; FailingStreak: number; Log: Array<{ Start: string; End: string; ExitCode: number; Output: string }> }

function docker(...args: string[]): string {
  const r = box.docker(...args);
  assert.equal(r.status, 0, `docker ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function health(name: string): Health | null {
  return JSON.parse(docker('inspect', '--format', '{{json .State.Health}}', name)) as Health | null;
}

/** Host pids whose command line contains `marker` (probe processes are tagged with one). */
function processesWith(marker: string): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) out.push(Number(pid));
    } catch { /* gone */ }
  }
  return out;
}

/** Waits until the container's health is `status`; returns that State.Health. */
function healthBecomes(name: string, status: string, ms = 5000): Promise<Health> {
  return until(`${name} ${status}`, () => { const h = health(name); return h?.Status === status ? h : undefined; }, ms);
}

const fast = ['--health-interval', '100ms', '--health-timeout', '3s'];

test('a passing check: healthy, shown by ps and its filter, health_status event', privileged, async () => {
  const since = Math.floor(Date.now() / 1000);
  docker('run', '-d', '--name', 'good', ...fast, '--health-cmd', 'echo ok-$HOSTNAME', IMAGE, 'sleep', '300');
  const started = Date.now();
  const h = await healthBecomes('good', 'healthy');
  assert.ok(Date.now() - started < 2000, `healthy after ${Date.now() - started} ms`);
  assert.equal(h.FailingStreak, 0);
  // The probe ran inside the container (its hostname is the container's short id).
  const id = docker('inspect', '--format', '{{.Id}}', 'good').trim();
  assert.equal(h.Log[0].ExitCode, 0);
  assert.equal(h.Log[0].Output, `ok-${id.slice(0, 12)}\n`);
  assert.match(docker('ps', '--filter', 'name=good', '--format', '{{.Status}}'), /^Up .* \(healthy\)\n$/);
  assert.equal(docker('ps', '--filter', 'health=healthy', '--format', '{{.Names}}'), 'good\n');
  const events = docker('events', '--since', String(since), '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', 'container=good', '--format', '{{.Action}}');
  assert.match(events, /^health_status: healthy$/m);
});

test('a failing check: unhealthy after the retries, output kept', privileged, async () => {
  docker('run', '-d', '--name', 'bad', ...fast, '--health-retries', '2', '--health-cmd', 'echo broken; exit 3', IMAGE, 'sleep', '300');
  const h = await healthBecomes('bad', 'unhealthy');
  assert.ok(h.FailingStreak >= 2, `streak ${h.FailingStreak}`);
  assert.deepEqual([h.Log[0].ExitCode, h.Log[0].Output], [3, 'broken\n']);
  assert.ok(h.Log.length <= 5);
  assert.match(docker('ps', '--filter', 'name=bad', '--format', '{{.Status}}'), /\(unhealthy\)/);
});

test('a probe past its timeout is killed and counts as a failure', privileged, async () => {
  const marker = `h33-timeout-${process.pid}`;
  docker('run', '-d', '--name', 'slow', '--health-interval', '100ms', '--health-timeout', '300ms', '--health-retries', '1', '--health-cmd', `sleep 30 # ${marker}`, IMAGE, 'sleep', '300');
  const h = await healthBecomes('slow', 'unhealthy');
  assert.equal(h.Log[0].ExitCode, -1);
  assert.equal(h.Log[0].Output, 'Health check exceeded timeout (300ms)');
  docker('stop', '-t', '1', 'slow');
  // The killed probes are gone (sh -c "sleep 30 # marker" never lives past its timeout).
  await until('no probe left', () => processesWith(marker).length === 0, 3000);
});

test('stop ends probing: no new results, no probe processes', privileged, async () => {
  const marker = `h33-stop-${process.pid}`;
  docker('run', '-d', '--name', 'stopped', '--health-interval', '50ms', '--health-cmd', `sleep 0.02 # ${marker}`, IMAGE, 'sleep', '300');
  await until('healthy', () => health('stopped')?.Status === 'healthy', 5000);
  docker('stop', '-t', '1', 'stopped');
  const before = health('stopped');
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(health('stopped'), before, 'the health state does not move after stop');
  assert.deepEqual(processesWith(marker), []);
});

test('a service killed with -9 and started again resumes probing from the state on disk', privileged, async () => {
  docker('run', '-d', '--name', 'adopted', '--health-interval', '200ms', '--health-cmd', 'true', IMAGE, 'sleep', '300');
  await until('healthy', () => health('adopted')?.Status === 'healthy', 5000);
  box.killService();
  await until('service gone', () => box.servicePid() === undefined, 5000);
  const restartedAt = new Date().toISOString();
  box.startService();
  // Still healthy straight away (read from disk), and new probe results arrive.
  assert.equal(health('adopted')?.Status, 'healthy');
  const h = await until('a probe after the restart', () => { const x = health('adopted'); return x?.Log.some((l) => l.Start > restartedAt) ? x : undefined; }, 5000);
  assert.equal(h.Status, 'healthy');
  docker('stop', '-t', '1', 'adopted');
});

test("the image's HEALTHCHECK runs; --no-healthcheck turns it off", privileged, async () => {
  const ctx = fs.mkdtempSync(`${box.dir}/ctx-`);
  fs.writeFileSync(`${ctx}/Dockerfile`, `FROM ${IMAGE}\nHEALTHCHECK --interval=100ms --retries=1 CMD ["sh", "-c", "exit 1"]\n`);
  const built = box.slipway('build', '-t', 'slipway-test/hc:1', ctx);
  assert.equal(built.status, 0, built.stderr);
  docker('run', '-d', '--name', 'from-image', 'slipway-test/hc:1', 'sleep', '300');
  const h = await healthBecomes('from-image', 'unhealthy');
  assert.equal(h.Log[0].ExitCode, 1);
  docker('run', '-d', '--name', 'no-check', '--no-healthcheck', 'slipway-test/hc:1', 'sleep', '300');
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(health('no-check'), null);
  assert.doesNotMatch(docker('ps', '--filter', 'name=no-check', '--format', '{{.Status}}'), /\(/);
  assert.equal(docker('ps', '--filter', 'health=none', '--filter', 'name=no-check', '--format', '{{.Names}}'), 'no-check\n');
  docker('rm', '-f', 'from-image', 'no-check');
});

test('slipway run --health-* flags: the same check through slipway ps and inspect', privileged, async () => {
  const r = box.slipway('run', '-d', '--name', 'cli-hc', '--health-cmd', 'test -d /proc/1', '--health-interval', '100ms', '--health-retries', '2', IMAGE, 'sleep', '300');
  assert.equal(r.status, 0, r.stderr);
  await healthBecomes('cli-hc', 'healthy');
  const ps = box.slipway('ps', '--filter', 'name=cli-hc');
  assert.match(ps.stdout, /Up .* \(healthy\)/);
  const inspect = JSON.parse(box.slipway('inspect', 'cli-hc').stdout) as Array<{ Config: { Healthcheck: unknown }; State: { Health: Health } }>;
  assert.deepEqual(inspect[0].Config.Healthcheck, { Test: ['CMD-SHELL', 'test -d /proc/1'], Interval: 100e6, Timeout: 0, StartPeriod: 0, StartInterval: 0, Retries: 2 });
  assert.equal(inspect[0].State.Health.Status, 'healthy');
  assert.equal(box.slipway('rm', '-f', 'cli-hc').status, 0);
});

interface ApiEvent { Type: string; Action: string; Actor: { ID: string; Attributes: Record<string, string> } }

test('every probe is an exec: exec_create, exec_start and exec_die on GET /events, as dockerd shows them', privileged, async () => {
  const since = Math.floor(Date.now() / 1000);
  docker('run', '-d', '--name', 'probed', '--label', 'team=infra', '--health-interval', '200ms', '--health-retries', '1', '--health-cmd', 'exit 0', IMAGE, 'sleep', '300');
  await healthBecomes('probed', 'healthy');
  const id = docker('inspect', '--format', '{{.Id}}', 'probed').trim();
  docker('stop', '-t', '1', 'probed');
  const until = String(Math.ceil(Date.now() / 1000) + 1);
  const events = docker('events', '--since', String(since), '--until', until, '--filter', 'container=probed', '--format', '{{json .}}')
    .trim().split('\n').map((l) => JSON.parse(l) as ApiEvent);
  const cmd = '/bin/sh -c exit 0';
  const creates = events.filter((e) => e.Action === `exec_create: ${cmd}`);
  assert.ok(creates.length >= 1, `no exec_create in ${events.map((e) => e.Action).join(', ')}`);
  // The first probe's three events, in order, tied by its execID, with the container's attributes.
  const execID = creates[0].Actor.Attributes.execID;
  assert.match(execID, /^[0-9a-f]{64}$/);
  const mine = events.filter((e) => e.Actor.Attributes.execID === execID);
  assert.deepEqual(mine.map((e) => e.Action), [`exec_create: ${cmd}`, `exec_start: ${cmd}`, 'exec_die']);
  for (const e of mine) {
    assert.equal(e.Type, 'container');
    assert.equal(e.Actor.ID, id);
    assert.deepEqual([e.Actor.Attributes.name, e.Actor.Attributes.image, e.Actor.Attributes.team], ['probed', IMAGE, 'infra']);
  }
  assert.equal(mine[2].Actor.Attributes.exitCode, '0');
  // Each probe's exec_die comes before the health_status it caused.
  const actions = events.map((e) => e.Action);
  assert.ok(actions.indexOf('exec_die') < actions.indexOf('health_status: healthy'), actions.join(', '));
  // `--filter event=exec_start` matches the action without its command, as in dockerd.
  const starts = docker('events', '--since', String(since), '--until', until, '--filter', 'container=probed', '--filter', 'event=exec_start', '--format', '{{.Action}}');
  assert.match(starts, /^exec_start: \/bin\/sh -c exit 0$/m);
  assert.doesNotMatch(starts, /exec_create|exec_die/);
  docker('rm', '-f', 'probed');
});

test('a probe past its timeout: exec_die with exit code 137 (killed), and the failing code of a failing one', privileged, async () => {
  const since = Math.floor(Date.now() / 1000);
  docker('run', '-d', '--name', 'die-codes', '--health-interval', '100ms', '--health-timeout', '300ms', '--health-retries', '1', '--health-cmd', 'sleep 5', IMAGE, 'sleep', '300');
  await healthBecomes('die-codes', 'unhealthy');
  await until('the killed probe\'s exec_die', () => {
    const out = docker('events', '--since', String(since), '--until', String(Math.ceil(Date.now() / 1000)), '--filter', 'container=die-codes', '--filter', 'event=exec_die', '--format', '{{.Actor.Attributes.exitCode}}');
    return out.split('\n').includes('137');
  }, 5000);
  docker('rm', '-f', 'die-codes');
  docker('run', '-d', '--name', 'fails', '--health-interval', '100ms', '--health-retries', '1', '--health-cmd', 'exit 7', IMAGE, 'sleep', '300');
  await healthBecomes('fails', 'unhealthy');
  const codes = docker('events', '--since', String(since), '--until', String(Math.ceil(Date.now() / 1000) + 1), '--filter', 'container=fails', '--filter', 'event=exec_die', '--format', '{{.Actor.Attributes.exitCode}}');
  assert.match(codes, /^7$/m);
  docker('rm', '-f', 'fails');
});
