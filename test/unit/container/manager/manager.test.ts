import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeHarness, type Harness } from './harness';

async function withHarness(fn: (h: Harness) => Promise<void>, opts?: Parameters<typeof makeHarness>[0]) {
  const h = makeHarness(opts);
  await h.store.load();
  try {
    await fn(h);
    assert.deepEqual(h.errors, []);
  } finally {
    h.cleanup();
  }
}
const actions = (h: Harness) => h.events.map((e) => e.action);
const cgroupDir = (h: Harness, id: string) => path.join(h.cgroupRoot, 'slipway', id);

test('create: record, rootfs dirs, named + anonymous volumes pre-filled from the image, event', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'web', HostConfig: { Binds: ['cache:/cache'] } }, { name: 'site' });
  const rec = h.store.get('site');
  assert.equal(rec.id, Id);
  assert.equal(rec.path, 'httpd');
  assert.deepEqual(rec.rootfs?.lowerDirs, [path.join(h.store.containerDir(Id), 'init'), h.layer]);
  for (const d of ['init', 'diff', 'work', 'merged']) assert.ok(fs.statSync(path.join(h.store.containerDir(Id), d)).isDirectory());
  const anon = rec.mounts.find((m) => m.Destination === '/var/data');
  assert.equal(anon?.Type, 'volume');
  assert.equal(fs.readFileSync(path.join(anon!.Source, 'seed.txt'), 'utf8'), 'from the image');
  assert.deepEqual(rec.mounts.find((m) => m.Destination === '/cache')?.Name, 'cache');
  assert.deepEqual(actions(h), ['create']);
  assert.equal(h.events[0].attrs.name, 'site');
}));

test('bad input leaves nothing behind: no record, no volume, no directory', () => withHarness(async (h) => {
  await assert.rejects(h.manager.create({ Image: 'nope' }), { status: 404, message: 'No such image: nope' } as object);
  await assert.rejects(h.manager.create({ Image: 'web', HostConfig: { Binds: ['fresh:/a', '/x:relative'] } }), /mount path must be absolute/);
  await assert.rejects(h.manager.create({ Image: 'web', HostConfig: { Memory: 1 } }), /Minimum memory limit/);
  await h.manager.create({ Image: 'busybox' }, { name: 'taken' });
  await assert.rejects(h.manager.create({ Image: 'web', HostConfig: { Binds: ['fresh:/a'] } }, { name: 'taken' }), { status: 409 } as object);
  assert.deepEqual(h.store.list().map((r) => r.name), ['taken']);
  assert.deepEqual(h.volumes.list().Volumes, []);
  assert.deepEqual(fs.readdirSync(h.store.dir).length, 1);
}));

test('create: a -v bind\'s missing host directory is made (0755); a --mount bind\'s must exist', () => withHarness(async (h) => {
  const made = path.join(h.root, 'host', 'made', 'by-v');
  await h.manager.create({ Image: 'web', HostConfig: { Binds: [`${made}:/x`] } }, { name: 'vbind' });
  assert.equal(fs.statSync(made).mode & 0o7777, 0o755);
  const gone = path.join(h.root, 'host', 'gone');
  await assert.rejects(
    h.manager.create({ Image: 'web', HostConfig: { Mounts: [{ Type: 'bind', Source: gone, Target: '/x' }] } }, { name: 'mbind' }),
    { status: 400, message: `invalid mount config for type "bind": bind source path does not exist: ${gone}` } as object,
  );
  assert.equal(fs.existsSync(gone), false);
  assert.deepEqual(h.store.list().map((r) => r.name), ['vbind']);
  const { Id } = await h.manager.create({ Image: 'web', HostConfig: { Mounts: [{ Type: 'bind', Source: made, Target: '/y', ReadOnly: true }] } });
  assert.deepEqual(h.store.get(Id).mounts.find((m) => m.Destination === '/y'), { Type: 'bind', Source: made, Destination: '/y', Mode: 'ro', RW: false, Propagation: 'rprivate' });
}));

test('start → running with its spec and cgroup; exit → exited, die event, wait, cgroup gone', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'web', HostConfig: { Memory: 64 << 20, PidsLimit: 10 } });
  await h.manager.start(Id);
  const p = h.started[0];
  assert.deepEqual(p.cgroupProcs, [path.join(cgroupDir(h, Id), 'cgroup.procs')]);
  assert.equal(fs.readFileSync(path.join(cgroupDir(h, Id), 'memory.max'), 'utf8'), String(64 << 20));
  assert.deepEqual(p.spec.process.user, { uid: 33, gid: 33, additionalGids: [], umask: 0o022 });
  assert.equal(p.spec.slipway?.overlay?.upperDir, path.join(h.store.containerDir(Id), 'diff'));
  assert.deepEqual(p.spec.slipway?.stdio, { stdin: 'null', stdoutFile: path.join(h.store.containerDir(Id), 'stdout'), stderrFile: path.join(h.store.containerDir(Id), 'stderr') });
  const rec = h.store.get(Id);
  assert.deepEqual([rec.state.status, rec.state.pid, rec.state.pidStartTime], ['running', p.pid, 42]);
  await assert.rejects(h.manager.start(Id), { status: 304 } as object);

  const waited = h.manager.wait(Id);
  fs.appendFileSync(path.join(h.store.containerDir(Id), 'stdout'), 'bye\n');
  p.exit(3);
  assert.deepEqual(await waited, { StatusCode: 3, Error: null });
  const done = h.store.get(Id);
  assert.deepEqual([done.state.status, done.state.exitCode, done.state.pid, done.state.oomKilled], ['exited', 3, 0, false]);
  assert.equal(fs.existsSync(cgroupDir(h, Id)), false);
  assert.deepEqual(actions(h), ['create', 'start', 'die']);
  assert.equal(h.events[2].attrs.exitCode, '3');
  assert.match(fs.readFileSync(done.logPath, 'utf8'), /"log":"bye\\n","stream":"stdout"/);
  assert.deepEqual(await h.manager.wait(Id), { StatusCode: 3, Error: null }, 'not-running resolves at once');
}));

test('stop: STOPSIGNAL first, SIGKILL after the timeout when it is ignored', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'web' });
  h.onStart = (p) => p.ignore.add('SIGQUIT');
  await h.manager.start(Id);
  const t0 = Date.now();
  await h.manager.stop(Id, { timeout: 0.3 });
  const elapsed = Date.now() - t0;
  assert.ok(elapsed >= 280 && elapsed < 3000, `took ${elapsed} ms`);
  assert.deepEqual(h.started[0].signals, ['SIGQUIT', 'SIGKILL']);
  assert.equal(h.store.get(Id).state.exitCode, 137);
  await assert.rejects(h.manager.stop(Id), { status: 304 } as object);
}));

test('stop: a process that obeys SIGTERM exits at once', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'busybox' });
  await h.manager.start(Id);
  const t0 = Date.now();
  await h.manager.stop(Id, { timeout: 10 });
  assert.ok(Date.now() - t0 < 2000);
  assert.deepEqual(h.started[0].signals, ['SIGTERM']);
  assert.equal(h.store.get(Id).state.exitCode, 143);
}));

test('kill, pause/unpause, restart: states, errors and events', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'busybox' }, { name: 'kk' });
  await assert.rejects(h.manager.kill('kk'), { status: 409, message: `Container ${Id} is not running` } as object);
  await h.manager.start('kk');
  await h.manager.pause('kk');
  assert.equal(h.store.get('kk').state.status, 'paused');
  assert.equal(fs.readFileSync(path.join(cgroupDir(h, Id), 'cgroup.freeze'), 'utf8'), '1');
  await assert.rejects(h.manager.pause('kk'), /is already paused/);
  await h.manager.unpause('kk');
  await assert.rejects(h.manager.unpause('kk'), /is not paused/);
  await assert.rejects(h.manager.kill('kk', 'SIGNOPE'), /Invalid signal: SIGNOPE/);
  await h.manager.restart('kk', { timeout: 1 });
  assert.equal(h.started.length, 2);
  assert.equal(h.store.get('kk').restartCount, 0, 'a manual restart is not a policy restart');
  const waited = h.manager.wait('kk');
  await h.manager.kill('kk', 'USR1');
  assert.deepEqual(await waited, { StatusCode: 138, Error: null });
  assert.deepEqual(actions(h), ['create', 'start', 'pause', 'unpause', 'die', 'start', 'restart', 'kill', 'die']);
}));

test('rm: refuses a running container, -f kills it, -v drops anonymous volumes and keeps named ones', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'web', HostConfig: { Binds: ['keep:/keep'] } }, { name: 'rr' });
  await h.manager.start('rr');
  await assert.rejects(h.manager.remove('rr'), { status: 409, message: 'cannot remove container "/rr": container is running: stop the container before removing or force remove' } as object);
  assert.throws(() => h.volumes.remove('keep'), /volume is in use/);
  const removed = h.manager.wait('rr', 'removed');
  await h.manager.remove('rr', { force: true, volumes: true });
  await removed;
  assert.equal(h.store.find('rr'), undefined);
  assert.equal(fs.existsSync(h.store.containerDir(Id)), false);
  assert.equal(fs.existsSync(cgroupDir(h, Id)), false);
  assert.deepEqual(h.volumes.list().Volumes.map((v) => v.Name), ['keep']);
  assert.deepEqual(actions(h), ['create', 'start', 'die', 'destroy']);
}));

test('OOM kill: exit 137, OOMKilled, an oom event before die', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'busybox', HostConfig: { Memory: 8 << 20 } });
  await h.manager.start(Id);
  fs.writeFileSync(path.join(cgroupDir(h, Id), 'memory.events'), 'oom 1\noom_kill 1\n');
  h.started[0].exit(137, 'SIGKILL');
  await h.manager.wait(Id);
  assert.deepEqual([h.store.get(Id).state.exitCode, h.store.get(Id).state.oomKilled], [137, true]);
  assert.deepEqual(actions(h).slice(-2), ['oom', 'die']);
}));

test('a start that fails keeps the container created with exit code 127 and removes its cgroup', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'busybox', Cmd: ['nope'] });
  h.failNextStart = new Error('exec: "nope": executable file not found in $PATH');
  await assert.rejects(h.manager.start(Id), /executable file not found/);
  const rec = h.store.get(Id);
  assert.deepEqual([rec.state.status, rec.state.exitCode], ['created', 127]);
  assert.match(rec.state.error, /executable file not found/);
  assert.equal(fs.existsSync(cgroupDir(h, Id)), false);
  assert.deepEqual(actions(h), ['create']);
}));

test('--rm: the container is removed after it exits', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'busybox', HostConfig: { AutoRemove: true } });
  await h.manager.start(Id);
  const removed = h.manager.wait(Id, 'removed');
  h.started[0].exit(0);
  await removed;
  assert.equal(h.store.find(Id), undefined);
  assert.deepEqual(actions(h), ['create', 'start', 'die', 'destroy']);
}));

test('network container:<name> joins the other container\'s namespace and takes its hostname', () => withHarness(async (h) => {
  await h.manager.create({ Image: 'busybox' }, { name: 'net' });
  const { Id } = await h.manager.create({ Image: 'busybox', HostConfig: { NetworkMode: 'container:net' } });
  await assert.rejects(h.manager.start(Id), /cannot join network of a non running container/);
  await h.manager.start('net');
  await h.manager.start(Id);
  const spec = h.started[1].spec;
  assert.deepEqual(spec.linux.namespaces.find((n) => n.type === 'network'), { type: 'network', path: `/proc/${h.started[0].pid}/ns/net` });
  assert.equal(spec.hostname, h.store.get('net').config.Hostname);
}));

test('restart policy on-failure:2 restarts failures twice with back-off, then stays exited', () => withHarness(async (h) => {
  h.onStart = (p) => setTimeout(() => p.exit(1), 5);
  const { Id } = await h.manager.create({ Image: 'busybox', HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } } });
  const t0 = Date.now();
  await h.manager.start(Id);
  for (let i = 0; i < 200 && !(h.started.length === 3 && h.store.get(Id).state.status === 'exited'); i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(h.started.length, 3);
  assert.ok(Date.now() - t0 >= 300, 'waited 100 ms then 200 ms');
  const rec = h.store.get(Id);
  assert.deepEqual([rec.state.status, rec.state.exitCode, rec.restartCount], ['exited', 1, 2]);
  assert.deepEqual(actions(h), ['create', 'start', 'die', 'start', 'die', 'start', 'die']);
}));

test('restart policy always: a user stop is final, also during the back-off', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'busybox', HostConfig: { RestartPolicy: { Name: 'always' } } });
  await h.manager.start(Id);
  h.started[0].exit(0);
  for (let i = 0; i < 100 && h.store.get(Id).state.status !== 'restarting'; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(h.store.get(Id).state.status, 'restarting');
  await assert.rejects(h.manager.kill(Id), /is restarting, wait until the container is running/);
  await h.manager.stop(Id);
  await new Promise((r) => setTimeout(r, 250));
  assert.equal(h.started.length, 1, 'no restart after stop');
  assert.equal(h.store.get(Id).state.status, 'exited');
  await h.manager.start(Id);
  await h.manager.stop(Id);
  await new Promise((r) => setTimeout(r, 250));
  assert.equal(h.started.length, 2);
  assert.equal(h.store.get(Id).state.status, 'exited');
}));

test('wait for removal of a --rm container gets its exit code', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'busybox', HostConfig: { AutoRemove: true } });
  await h.manager.start(Id);
  const removed = h.manager.wait(Id, 'removed');
  h.started[0].exit(3);
  assert.deepEqual(await removed, { StatusCode: 3, Error: null });
}));

test('a start failure with its own exit code (the start-up\'s ContainerSetupError) records that code', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'busybox', Cmd: ['/etc/passwd'] });
  h.failNextStart = Object.assign(new Error('exec /etc/passwd: permission denied'), { exitCode: 126, status: 400 });
  await assert.rejects(h.manager.start(Id), { status: 400 } as object);
  assert.equal(h.store.get(Id).state.exitCode, 126);
}));

test('execTarget: the running container\'s pid and cgroup, the exec\'s process spec, Docker\'s 409s', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'web' }, { name: 'ex' });
  assert.throws(() => h.manager.execTarget('ex', { Cmd: ['id'] }), { status: 409, message: `Container ${Id} is not running` } as object);
  await h.manager.start('ex');
  const t = h.manager.execTarget('ex', { Cmd: ['id'], User: 'root' });
  assert.equal(t.pid, h.started[0].pid);
  assert.deepEqual(t.cgroupProcs, h.started[0].cgroupProcs);
  assert.deepEqual([t.process.user.uid, t.process.args], [0, ['id']]);
  assert.equal(h.manager.execTarget('ex', { Cmd: ['id'] }).process.user.uid, 33, 'the container\'s user by default');
  await h.manager.pause('ex');
  assert.throws(() => h.manager.execTarget('ex', { Cmd: ['id'] }), /is paused, unpause the container before exec/);
  await h.manager.unpause('ex');
  await h.manager.stop('ex');
}));

test('published ports: bound before the start, proxies while running, recorded for inspect, closed at exit; a busy port fails the start before the process', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'busybox', HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '4000' }], '443/tcp': [{ HostPort: '' }] } } });
  await h.manager.start(Id);
  assert.equal(h.openPorts.size, 2);
  assert.equal(h.openPorts.get(4000), h.started[0].pid, 'the proxy serves the container\'s namespace');
  assert.deepEqual(h.store.get(Id).ports.map((p) => [p.containerPort, p.hostPort !== 0]), [[80, true], [443, true]]);
  h.started[0].exit(0);
  await h.manager.wait(Id);
  assert.equal(h.openPorts.size, 0, 'proxies closed');
  assert.deepEqual(h.store.get(Id).ports, []);

  h.busy.add(4000);
  const waited = h.manager.start(Id);
  await assert.rejects(waited, { status: 409 } as object);
  assert.equal(h.started.length, 1, 'no process was started');
  assert.equal(h.openPorts.size, 0, 'the port bound before the busy one was closed again');
  assert.equal(h.store.get(Id).state.status, 'exited');
  assert.match(h.store.get(Id).state.error ?? '', /address already in use/);
  assert.equal(fs.existsSync(cgroupDir(h, Id)), false);
}));

test('whileStopped: a start waits for the work holding the container, and work waits for a start under way', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'busybox' });
  const order: string[] = [];
  let release!: () => void;
  const held = h.manager.whileStopped(Id, async () => { order.push('copy begins'); await new Promise<void>((r) => { release = r; }); order.push('copy ends'); return 7; });
  await new Promise((r) => setTimeout(r, 5));
  const started = h.manager.start(Id).then(() => order.push('started'));
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(order, ['copy begins'], 'the start waits');
  release();
  assert.equal(await held, 7);
  await started;
  assert.deepEqual(order, ['copy begins', 'copy ends', 'started']);
  assert.equal(h.started.length, 1);
  const exited = h.manager.wait(Id, 'next-exit');
  h.started[0].exit(0);
  await exited;
}));

test('a fast container\'s first output reaches whoever subscribes at the start event (attach)', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ Image: 'busybox' });
  // The process writes at once, and the start is seen a moment later (as the worker's report
  // comes after the init has exec'd): time enough for a follower already watching to read it.
  const deps = (h.manager as unknown as { deps: { starter: { start: (...a: unknown[]) => Promise<unknown> } } }).deps;
  const start = deps.starter.start.bind(deps.starter);
  deps.starter.start = async (...a) => {
    const p = await start(...a) as { spec: { slipway?: { stdio: { stdoutFile?: string } } } };
    fs.appendFileSync(p.spec.slipway!.stdio.stdoutFile!, 'first line\n');
    await new Promise((r) => setTimeout(r, 150));
    return p;
  };
  const seen: string[] = [];
  const push = h.events.push.bind(h.events);
  h.events.push = (...events) => {
    // What the service's output hub does at the start event.
    for (const e of events) if (e.action === 'start') h.manager.io(e.id).output.on('data', (_s: string, chunk: Buffer) => seen.push(chunk.toString()));
    return push(...events);
  };
  await h.manager.start(Id);
  const exited = h.manager.wait(Id, 'next-exit');
  h.started[0].exit(0);
  await exited;
  assert.deepEqual(seen, ['first line\n']);
}));
