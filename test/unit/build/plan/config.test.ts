// Pure config rules: ports, workdir, signals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalisePorts, resolveWorkdir, validSignal, setEnv, type ImageConfig } from '../../../../runtime/build/plan/config.js';

test('normalisePorts', () => {
  assert.deepEqual(normalisePorts(['80', '53/UDP', '1-3/sctp', '0.0.0.0:8080:80/tcp']), ['80/tcp', '53/udp', '1/sctp', '2/sctp', '3/sctp', '80/tcp']);
  for (const bad of ['x', '80/icmp', '70000', '5-3']) assert.equal(typeof normalisePorts([bad]), 'string', bad);
});

test('resolveWorkdir', () => {
  assert.deepEqual([resolveWorkdir(undefined, 'a'), resolveWorkdir('/a', 'b/../c'), resolveWorkdir('/a', '/x//y/'), resolveWorkdir('/a', '..')], ['/a', '/a/c', '/x/y', '/']);
});

test('validSignal', () => {
  assert.deepEqual(['SIGTERM', 'term', '9', 'SIGRTMIN+3', '0', 'SIG-X', '99'].map(validSignal), [true, true, true, true, false, false, false]);
});

test('setEnv replaces in place and appends new', () => {
  const c: ImageConfig = { Env: ['A=1', 'B=2'] };
  setEnv(c, 'A', '3'); setEnv(c, 'C', '4');
  assert.deepEqual(c.Env, ['A=3', 'B=2', 'C=4']);
});
