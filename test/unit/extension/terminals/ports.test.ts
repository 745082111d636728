import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exposedPorts, portBindings } from '../../../../extension/terminals/ports';

test('EXPOSE keys → choices, sorted; odd keys skipped; bare numbers are tcp', () => {
  const ports = exposedPorts({ ExposedPorts: { '8080/tcp': {}, '53/udp': {}, '5000': {}, '7000-7010/tcp': {} } });
  assert.deepEqual(ports, [
    { key: '53/udp', containerPort: 53, protocol: 'udp' },
    { key: '5000/tcp', containerPort: 5000, protocol: 'tcp' },
    { key: '8080/tcp', containerPort: 8080, protocol: 'tcp' },
  ]);
  assert.deepEqual(exposedPorts({ ExposedPorts: null }), []);
  assert.deepEqual(exposedPorts(undefined), []);
});

test('chosen ports publish on the same host port unless told otherwise', () => {
  const [a, b] = exposedPorts({ ExposedPorts: { '5000/tcp': {}, '53/udp': {} } });
  assert.deepEqual(portBindings([a, b], { '5000/tcp': 18080 }), {
    ExposedPorts: { '53/udp': {}, '5000/tcp': {} },
    PortBindings: { '53/udp': [{ HostIp: '', HostPort: '53' }], '5000/tcp': [{ HostIp: '', HostPort: '18080' }] },
  });
  assert.deepEqual(portBindings([]), { ExposedPorts: {}, PortBindings: {} });
});
