// The slipway.insecureRegistries setting → the service's SLIPWAY_INSECURE_REGISTRIES, and
// the transport that reads it there choosing plain HTTP for exactly those registries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serviceEnvironment } from '../../../../extension/service/endpoint';
import { insecureRegistriesFromSetting, withInsecureRegistries } from '../../../../extension/service/registries';
import { Transport } from '../../../../runtime/registry/transport';

const VALID: [string, unknown, string[]][] = [
  ['unset', undefined, []],
  ['empty', [], []],
  ['host:port, host, IPv4 and IPv6 with ports', ['registry.lan:5000', 'Mirror.Example', '10.0.0.7:5000', '[fd00::2]:5000'], ['registry.lan:5000', 'mirror.example', '10.0.0.7:5000', '[fd00::2]:5000']],
  ['blank entries and duplicates dropped, case folded', [' a.example:1 ', '', 'A.example:1'], ['a.example:1']],
];
for (const [name, value, want] of VALID) test(`insecureRegistriesFromSetting: ${name}`, () => assert.deepEqual(insecureRegistriesFromSetting(value), want));

const INVALID: [unknown, RegExp][] = [
  ['registry.lan:5000', /must be a list of registries/],
  [[5000], /5000 is not a string/],
  [['http://registry.lan:5000'], /"http:\/\/registry\.lan:5000" must be a registry host\[:port\] without a scheme \(e\.g\. "registry\.lan:5000"\)/],
  [['10.0.0.0/8'], /"10\.0\.0\.0\/8" is a CIDR range/],
  [['registry.lan:5000/team'], /"registry\.lan:5000\/team" is not a registry host\[:port\]/],
  [['a b'], /"a b" is not a registry/],
];
for (const [value, message] of INVALID) {
  test(`insecureRegistriesFromSetting rejects ${JSON.stringify(value)}`, () => {
    assert.throws(() => insecureRegistriesFromSetting(value), (err: Error) => message.test(err.message) && err.message.includes('slipway.insecureRegistries'));
  });
}

test('withInsecureRegistries adds the setting to what the environment lists, once each', () => {
  assert.equal(withInsecureRegistries({ SLIPWAY_INSECURE_REGISTRIES: 'a.example:1, b.example' }, ['b.example', 'c.example:3']).SLIPWAY_INSECURE_REGISTRIES, 'a.example:1,b.example,c.example:3');
  assert.equal(withInsecureRegistries({ PATH: '/bin' }, ['c.example:3']).SLIPWAY_INSECURE_REGISTRIES, 'c.example:3');
  assert.deepEqual(withInsecureRegistries({ PATH: '/bin', SLIPWAY_INSECURE_REGISTRIES: ' ' }, []), { PATH: '/bin' });
});

test('the environment the extension starts the service with makes its transport use HTTP for those registries only', () => {
  const env = serviceEnvironment({ PATH: '/bin', VSCODE_PID: '1' }, { insecureRegistries: ['registry.lan:5000', '192.0.2.2:5001'] });
  assert.equal(env.VSCODE_PID, undefined);
  const transport = new Transport({ env, fetch: async () => new Response() });
  const CASES: [string, string][] = [
    ['registry.lan:5000', 'http://registry.lan:5000'],
    ['192.0.2.2:5001', 'http://192.0.2.2:5001'],
    ['192.0.2.2:5002', 'https://192.0.2.2:5002'],
    ['other.lan:5000', 'https://other.lan:5000'],
  ];
  for (const [domain, want] of CASES) assert.equal(transport.baseUrl(domain), want, domain);
  const without = new Transport({ env: serviceEnvironment({ PATH: '/bin' }), fetch: async () => new Response() });
  assert.equal(without.baseUrl('registry.lan:5000'), 'https://registry.lan:5000');
});
