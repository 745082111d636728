// Published ports through the manager's one path, for every way a container starts: the port
// is bound (and not yet serving) when the process starts, serves its pid afterwards, and is
// closed at the exit — for start, restart, a restart-policy restart; re-adoption binds the
// recorded host ports again; a graceful detach closes the proxies but keeps the record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeHarness, type Harness } from './harness';

async function withHarness(fn: (h: Harness) => Promise<void>) {
  const h = makeHarness();
  await h.store.load();
  try {
    await fn(h);
  } finally {
    h.cleanup();
  }
}

const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok(), what);
};

/** At each process start: the state of host port 4000 (0 = bound, not serving yet; undefined = not bound). */
function watchBindings(h: Harness): Array<number | undefined> {
  const seen: Array<number | undefined> = [];
  h.onStart = () => seen.push(h.openPorts.get(4000));
  return seen;
}

const WEB = { Image: 'busybox', HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '4000' }] } } };

test('start and restart: the host port is bound before each process starts, then serves that process', () => withHarness(async (h) => {
  const seen = watchBindings(h);
  const { Id } = await h.manager.create(WEB, { name: 'web' });
  await h.manager.start(Id);
  assert.equal(h.openPorts.get(4000), h.started[0].pid);
  await h.manager.restart(Id, { timeout: 1 });
  assert.deepEqual(seen, [0, 0], 'bound, not yet attached, when each process started');
  assert.equal(h.openPorts.get(4000), h.started[1].pid, 'served by the new process');
  assert.deepEqual(h.store.get(Id).ports, [{ hostIp: '0.0.0.0', hostPort: 4000, containerPort: 80, proto: 'tcp' }]);
  assert.deepEqual(h.errors, []);
}));

test('restart: a port taken while the container was down fails the start, no process, the error is recorded', () => withHarness(async (h) => {
  const { Id } = await h.manager.create(WEB, { name: 'web' });
  await h.manager.start(Id);
  h.started[0].exit(0);
  await h.manager.wait(Id);
  h.busy.add(4000);
  await assert.rejects(h.manager.restart(Id), { status: 409 } as object);
  assert.equal(h.started.length, 1);
  assert.deepEqual([h.store.get(Id).state.status, h.store.get(Id).ports], ['exited', []]);
  assert.match(h.store.get(Id).state.error ?? '', /address already in use/);
}));

test('restart policy: each restart binds before its process and serves it; a port taken during the back-off ends the restarts', () => withHarness(async (h) => {
  const seen = watchBindings(h);
  const { Id } = await h.manager.create({ ...WEB, HostConfig: { ...WEB.HostConfig, RestartPolicy: { Name: 'always' } } }, { name: 'web' });
  await h.manager.start(Id);
  h.started[0].exit(1);
  await until('the policy\'s restart', () => h.started.length === 2 && h.store.get(Id).state.status === 'running');
  assert.deepEqual(seen, [0, 0]);
  assert.equal(h.openPorts.get(4000), h.started[1].pid);
  assert.equal(h.store.get(Id).ports[0]?.hostPort, 4000);

  h.busy.add(4000);
  h.started[1].exit(1);
  await until('the failed restart', () => h.store.get(Id).state.status === 'exited' && h.errors.length > 0);
  assert.equal(h.started.length, 2, 'no process without its port');
  assert.equal(h.openPorts.size, 0);
  assert.match(h.errors.join('\n'), /restart of .*address already in use/);
}));

test('re-adoption binds the recorded host ports again (a random one keeps its number) and serves the running pid', async () => {
  const first = makeHarness();
  try {
    await first.store.load();
    const { Id } = await first.manager.create({ Image: 'busybox', HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '4000' }], '443/tcp': [{ HostPort: '0' }] } } }, { name: 'web' });
    await first.manager.start(Id);
    const recorded = first.store.get(Id).ports;
    const random = recorded.find((p) => p.containerPort === 443)!.hostPort;
    const pid = first.started[0].pid;

    // The service is killed (its proxies die with it) and starts again.
    const second = makeHarness({ root: first.root, startTimeOf: (p) => (p === pid ? 42 : undefined) });
    second.openPorts.set(random + 1000, 1); // a port of someone else's, so the harness's next random port differs
    await second.manager.adopt();
    assert.equal(second.openPorts.get(4000), pid);
    assert.equal(second.openPorts.get(random), pid, 'the same random host port');
    assert.deepEqual(second.store.get(Id).ports, recorded);
    assert.deepEqual(second.errors, []);

    // A graceful shutdown closes the proxies; the record keeps the ports for the next service.
    await second.manager.detach();
    assert.deepEqual([...second.openPorts.keys()], [random + 1000]);
    assert.deepEqual(second.store.get(Id).ports, recorded);

    // Another program took port 4000 meanwhile: the other port serves, the record says so.
    const third = makeHarness({ root: first.root, startTimeOf: (p) => (p === pid ? 42 : undefined) });
    third.busy.add(4000);
    await third.manager.adopt();
    assert.deepEqual([...third.openPorts], [[random, pid]]);
    assert.deepEqual(third.store.get(Id).ports.map((p) => p.hostPort), [random]);
    assert.match(third.errors.join('\n'), /port 4000 of .*address already in use/);
    await third.manager.detach();
  } finally {
    first.cleanup();
  }
});

test('--network host: published ports are discarded (dockerd), nothing is bound or recorded', () => withHarness(async (h) => {
  const { Id } = await h.manager.create({ ...WEB, HostConfig: { ...WEB.HostConfig, NetworkMode: 'host' } }, { name: 'web' });
  await h.manager.start(Id);
  assert.equal(h.openPorts.size, 0);
  assert.deepEqual(h.store.get(Id).ports, []);
  assert.equal(h.store.get(Id).state.status, 'running');
}));
