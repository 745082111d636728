import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceConnection, type ServiceEndpoint, type ServiceEvent, type ServiceState } from '../../../../extension/service/connection';

const backoff = { initialMs: 10, maxMs: 40, factor: 2, jitter: 0 };
const location = { socketPath: '/tmp/fake.sock', stateRoot: '/tmp/fake-root' };

/** A scriptable endpoint: `down` makes ensure fail; `endStream()` ends the open /events stream. */
class FakeEndpoint implements ServiceEndpoint {
  calls: string[] = [];
  down = false;
  version_ = '1.0.0';
  private endStreamFn: (() => void) | undefined;
  private emit: ((e: ServiceEvent) => void) | undefined;
  async ensure(): Promise<void> {
    this.calls.push('ensure');
    if (this.down) throw new Error(`connect ENOENT ${location.socketPath}`);
  }
  async version() {
    this.calls.push('version');
    return { Version: this.version_, ApiVersion: '1.47' };
  }
  events(onEvent: (e: ServiceEvent) => void, signal: AbortSignal): Promise<void> {
    this.calls.push('events');
    this.emit = onEvent;
    return new Promise((resolve) => {
      this.endStreamFn = resolve;
      signal.addEventListener('abort', () => resolve());
    });
  }
  async stop(): Promise<void> {
    this.calls.push('stop');
  }
  endStream(): void { this.endStreamFn?.(); }
  send(e: ServiceEvent): void { this.emit?.(e); }
}

function recorder(c: ServiceConnection): ServiceState[] {
  const states: ServiceState[] = [];
  c.onDidChangeState((s) => states.push(s));
  return states;
}

function until(c: ServiceConnection, kind: ServiceState['kind'], timeoutMs = 2000): Promise<ServiceState> {
  if (c.state.kind === kind) return Promise.resolve(c.state);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { off(); reject(new Error(`no ${kind} state within ${timeoutMs} ms (now ${c.state.kind})`)); }, timeoutMs);
    const off = c.onDidChangeState((s) => { if (s.kind === kind) { clearTimeout(t); off(); resolve(s); } });
  });
}

test('connects, delivers events, and reconnects with backoff when the stream ends', async () => {
  const ep = new FakeEndpoint();
  const c = new ServiceConnection(location, ep, { backoff });
  const states = recorder(c);
  const events: ServiceEvent[] = [];
  c.onEvent((e) => events.push(e));
  c.start();
  const v = await c.whenConnected(2000);
  assert.equal(v.Version, '1.0.0');
  ep.send({ Type: 'container', Action: 'start' });
  assert.deepEqual(events, [{ Type: 'container', Action: 'start' }]);
  ep.version_ = '1.0.1';
  ep.endStream();
  const down = await until(c, 'unreachable');
  assert.deepEqual(down, { kind: 'unreachable', error: 'the event stream ended', attempt: 0, retryInMs: 10 });
  await until(c, 'connected');
  assert.equal(c.state.kind === 'connected' && c.state.version.Version, '1.0.1');
  assert.deepEqual(states.map((s) => s.kind), ['connecting', 'connected', 'unreachable', 'connecting', 'connected']);
  assert.deepEqual(ep.calls, ['ensure', 'version', 'events', 'ensure', 'version', 'events']);
  c.dispose();
});

test('retries a service that stays down with doubling delays up to the cap, then recovers', async () => {
  const ep = new FakeEndpoint();
  ep.down = true;
  const c = new ServiceConnection(location, ep, { backoff });
  const delays: number[] = [];
  c.onDidChangeState((s) => {
    if (s.kind !== 'unreachable') return;
    delays.push(s.retryInMs);
    assert.match(s.error, /ENOENT \/tmp\/fake\.sock/);
    if (delays.length === 4) ep.down = false;
  });
  c.start();
  await c.whenConnected(2000);
  assert.deepEqual(delays, [10, 20, 40, 40]);
  c.dispose();
});

test('whenConnected rejects after its timeout with the socket and the last error', async () => {
  const ep = new FakeEndpoint();
  ep.down = true;
  const c = new ServiceConnection(location, ep, { backoff });
  c.start();
  await assert.rejects(c.whenConnected(100), /\/tmp\/fake\.sock not reachable after 100 ms: connect ENOENT/);
  c.dispose();
});

test('restart stops the service and connects to the new one', async () => {
  const ep = new FakeEndpoint();
  const c = new ServiceConnection(location, ep, { backoff });
  c.start();
  await c.whenConnected(2000);
  ep.version_ = '2.0.0';
  const v = await c.restart();
  assert.equal(v.Version, '2.0.0');
  assert.deepEqual(ep.calls, ['ensure', 'version', 'events', 'stop', 'ensure', 'version', 'events']);
  c.dispose();
});

test('dispose ends the retries', async () => {
  const ep = new FakeEndpoint();
  ep.down = true;
  const c = new ServiceConnection(location, ep, { backoff });
  c.start();
  await until(c, 'unreachable');
  c.dispose();
  const n = ep.calls.length;
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(ep.calls.length, n);
});

test('relocate moves to another endpoint and keeps the listeners', async () => {
  const a = new FakeEndpoint();
  const b = new FakeEndpoint();
  b.version_ = '3.0.0';
  const c = new ServiceConnection(location, a, { backoff });
  const states = recorder(c);
  c.start();
  await c.whenConnected(2000);
  const other = { socketPath: '/tmp/other.sock', stateRoot: '/tmp/other' };
  c.relocate(other, b);
  const v = await c.whenConnected(2000);
  assert.equal(v.Version, '3.0.0');
  assert.deepEqual(c.location, other);
  assert.equal(states.filter((s) => s.kind === 'connected').length, 2);
  assert.deepEqual(a.calls, ['ensure', 'version', 'events']);
  c.dispose();
});
