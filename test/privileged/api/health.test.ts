// HEALTHCHECK on the real kernel, driven by the stock docker CLI (its --health-* flags fill
// Config.Healthcheck): a passing check goes healthy within a second or two, a failing one
// unhealthy after its retries, a probe past its timeout is killed and counts as a failure,
// stop ends probing with no probe process left, and a service killed with -9 and started
// again resumes probing from the health state on disk.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { privileged } from '../../helpers/tiers';
import { IMAGE, sandbox, until, type Sandbox } from './harness';

let box: Sandbox;
before(async () => {
  if (process.getuid?.() !== 0) return;
  box = await sandbox();
  box.startService();
});
after(async () => { await box?.cleanup(); });

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
