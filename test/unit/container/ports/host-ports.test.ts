// HostPorts, the one table of host ports the service's containers hold, over a fake bind that
// behaves as the kernel does (one listener per overlapping address and port) and fails with
// the proxy's own wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError, InvalidArgumentError, SlipwayError, statusOf } from '../../../../runtime/errors';
import { addressesOverlap, HostPorts } from '../../../../runtime/container/ports/host-ports';
import type { PortMapping, ReservedPort } from '../../../../runtime/container/ports/publish';
import { listenFailureMessage } from '../../../../runtime/container/ports/worker-publish';

/** A fake kernel: `taken` are listeners of other programs; binds made through it are tracked. */
function fakeKernel(taken: Array<[string, number]> = []) {
  const listening = new Set(taken.map(([ip, port]) => `${ip} ${port}`));
  const calls: string[] = [];
  let next = 40000;
  const busy = (ip: string, port: number) => [...listening].some((l) => { const [i, p] = l.split(' '); return Number(p) === port && addressesOverlap(i, ip); });
  const bind = async (m: PortMapping): Promise<ReservedPort> => {
    const hostIp = m.hostIp || '0.0.0.0';
    if (m.hostPort > 65535) throw new InvalidArgumentError(`invalid host port: ${m.hostPort}`);
    if (m.hostPort === 1) throw new SlipwayError(listenFailureMessage(hostIp, 1, Object.assign(new Error('x'), { code: 'EACCES' })), { status: 500 });
    await new Promise((r) => setImmediate(r)); // a bind takes a turn of the event loop, as the Worker's does
    const hostPort = m.hostPort || next++;
    calls.push(`bind ${hostIp}:${hostPort}`);
    if (busy(hostIp, hostPort)) throw new ConflictError(listenFailureMessage(hostIp, hostPort, Object.assign(new Error('x'), { code: 'EADDRINUSE' })));
    const key = `${hostIp} ${hostPort}`;
    listening.add(key);
    return {
      hostIp, hostPort, containerPort: m.containerPort,
      attach: async (pid) => { calls.push(`attach ${hostPort} ${pid}`); },
      close: async () => { calls.push(`close ${hostPort}`); listening.delete(key); },
    };
  };
  return { bind, calls, listening };
}

const a = { id: 'a'.repeat(64), name: 'alpha' };
const b = { id: 'b'.repeat(64), name: 'beta' };
const driver = (o: { id: string; name: string }) => `driver failed programming external connectivity on endpoint ${o.name} (${o.id}): `;
const map = (hostIp: string, hostPort: number, containerPort = 80): PortMapping => ({ hostIp, hostPort, containerPort, proto: 'tcp' });

test('addressesOverlap: wildcards overlap every address, others only themselves', () => {
  const table: Array<[string, string, boolean]> = [
    ['0.0.0.0', '127.0.0.1', true], ['127.0.0.1', '0.0.0.0', true], ['127.0.0.1', '127.0.0.1', true],
    ['127.0.0.1', '127.0.0.2', false], ['::', '::1', true], ['', '10.0.0.1', true],
  ];
  for (const [x, y, want] of table) assert.equal(addressesOverlap(x, y), want, `${x} ${y}`);
});

// [held by alpha, asked by beta, expected: 'bound' or the message after the driver's prefix]
const conflicts: Array<[PortMapping, PortMapping, string]> = [
  [map('0.0.0.0', 8080), map('0.0.0.0', 8080), 'Bind for 0.0.0.0:8080 failed: port is already allocated'],
  [map('0.0.0.0', 8080), map('127.0.0.1', 8080), 'Bind for 127.0.0.1:8080 failed: port is already allocated'],
  [map('127.0.0.1', 8080), map('', 8080), 'Bind for 0.0.0.0:8080 failed: port is already allocated'],
  [map('127.0.0.1', 8080), map('127.0.0.2', 8080), 'bound'],
  [map('0.0.0.0', 8080), map('0.0.0.0', 8081), 'bound'],
];
for (const [held, asked, want] of conflicts) {
  test(`a port another container holds (${held.hostIp}:${held.hostPort}), asked ${asked.hostIp || '(any)'}:${asked.hostPort}: ${want}`, async () => {
    const k = fakeKernel();
    const ports = new HostPorts({ bind: k.bind });
    await ports.reserve(held, a);
    const asking = ports.reserve(asked, b);
    if (want === 'bound') {
      assert.equal((await asking).hostPort, asked.hostPort);
      assert.equal(ports.list().length, 2);
      return;
    }
    await assert.rejects(asking, (err: unknown) => err instanceof ConflictError && err.message === driver(b) + want);
    assert.deepEqual(k.calls, [`bind ${held.hostIp}:${held.hostPort}`], 'refused from the table, no bind tried (as dockerd\'s allocator)');
  });
}

test('a port another program holds: the proxy\'s bind fails with the portmapper\'s wording, nothing is entered', async () => {
  const ports = new HostPorts({ bind: fakeKernel([['0.0.0.0', 9000]]).bind });
  await assert.rejects(ports.reserve(map('', 9000), a), (err: unknown) => {
    assert.ok(err instanceof ConflictError);
    assert.equal(err.message, `${driver(a)}Error starting userland proxy: listen tcp4 0.0.0.0:9000: bind: address already in use`);
    return true;
  });
  assert.deepEqual(ports.list(), []);
});

test('other bind failures keep their status under the driver\'s wording; a bad mapping is the request\'s 400, unwrapped', async () => {
  const ports = new HostPorts({ bind: fakeKernel().bind });
  await assert.rejects(ports.reserve(map('', 1), a), (err: unknown) => {
    assert.equal(statusOf(err), 500);
    assert.equal((err as Error).message, `${driver(a)}Error starting userland proxy: listen tcp4 0.0.0.0:1: bind: permission denied`);
    return true;
  });
  await assert.rejects(ports.reserve(map('', 70000), a), (err: unknown) => err instanceof InvalidArgumentError && err.message === 'invalid host port: 70000');
  assert.deepEqual(ports.list(), []);
});

test('a port chosen at random (hostPort 0) is held under its number; close frees it for another container', async () => {
  const k = fakeKernel();
  const ports = new HostPorts({ bind: k.bind });
  const first = await ports.reserve(map('', 0, 443), a);
  assert.equal(first.hostPort, 40000);
  assert.deepEqual(ports.list(), [{ owner: a.id, hostIp: '0.0.0.0', hostPort: 40000, containerPort: 443 }]);
  await assert.rejects(ports.reserve(map('', 40000), b), /Bind for 0\.0\.0\.0:40000 failed: port is already allocated/);
  await first.attach(123);
  await first.close();
  await first.close(); // once
  assert.deepEqual(ports.list(), []);
  const second = await ports.reserve(map('', 40000), b);
  assert.equal(second.hostPort, 40000);
  assert.deepEqual(k.calls, ['bind 0.0.0.0:40000', 'attach 40000 123', 'close 40000', 'bind 0.0.0.0:40000']);
});

test('two starts racing for one port: one binds, the other is refused as allocated (no bind tried)', async () => {
  const k = fakeKernel();
  const ports = new HostPorts({ bind: k.bind });
  const results = await Promise.allSettled([ports.reserve(map('', 8000), a), ports.reserve(map('', 8000), b)]);
  assert.equal(results[0].status, 'fulfilled');
  assert.equal(results[1].status, 'rejected');
  assert.match(String((results[1] as PromiseRejectedResult).reason.message), new RegExp(`^${driver(b).replace(/[()]/g, '\\$&')}Bind for 0\\.0\\.0\\.0:8000 failed: port is already allocated$`));
  assert.deepEqual(k.calls, ['bind 0.0.0.0:8000']);
});
