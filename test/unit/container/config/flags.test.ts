import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBytes, parseCpus, parseEnvFile, parseEnvFlag, parseMemoryFlag, parsePublish, parseRestartFlag, parseUlimit, parseVolumeFlag } from '../../../../runtime/container/config';

const bytes: Array<[string, number]> = [
  ['1024', 1024], ['512m', 512 * 1024 ** 2], ['512M', 512 * 1024 ** 2], ['1.5g', 1.5 * 1024 ** 3],
  ['2GiB', 2 * 1024 ** 3], ['10 kb', 10240], ['1t', 1024 ** 4],
];
for (const [input, want] of bytes) test(`parseBytes(${input}) = ${want}`, () => assert.equal(parseBytes(input), want));

// go-units RAMInBytes' errors (checked against docker 28's CLI), printed after `invalid argument "X" for "-m, --memory" flag: `.
const badBytes: Array<[string, string]> = [
  ['12q', "invalid suffix: 'q'"], ['12Q', "invalid suffix: 'q'"], ['abc', "invalid size: 'abc'"], ['', "invalid size: ''"],
  ['-1', "invalid size: '-1'"], ['5kq', "invalid suffix: 'kq'"], ['5kix', "invalid suffix: 'kix'"], ['5bytes', "invalid suffix: 'bytes'"],
  ['5bb', "invalid suffix: 'bb'"], ['1.2.3m', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax'],
];
for (const [input, message] of badBytes) test(`parseBytes(${JSON.stringify(input)}) fails: ${message}`, () => assert.throws(() => parseBytes(input), { message }));
const moreBytes: Array<[string, number]> = [['5b', 5], ['5B', 5], ['1KB', 1024], ['1kib', 1024], ['0.5k', 512], ['1e3', 1000], ['3p', 3 * 1024 ** 5]];
for (const [input, want] of moreBytes) test(`parseBytes(${input}) = ${want}`, () => assert.equal(parseBytes(input), want));

test('--memory 12q / abc: the docker CLI wording', () => {
  assert.throws(() => parseMemoryFlag('-m, --memory', '12q'), { message: `invalid argument "12q" for "-m, --memory" flag: invalid suffix: 'q'` });
  assert.throws(() => parseMemoryFlag('-m, --memory', 'abc'), { message: `invalid argument "abc" for "-m, --memory" flag: invalid size: 'abc'` });
});

test('--memory: docker wording on a bad size', () => {
  assert.throws(() => parseMemoryFlag('-m, --memory', '512x'), { message: `invalid argument "512x" for "-m, --memory" flag: invalid suffix: 'x'` });
  assert.equal(parseMemoryFlag('--memory-swap', '-1', true), -1);
  assert.throws(() => parseMemoryFlag('-m, --memory', '-1'), /invalid size/);
});

const cpus: Array<[string, number]> = [['1', 1e9], ['0.5', 5e8], ['1.25', 1.25e9], ['.2', 2e8], ['0.000000001', 1]];
for (const [input, want] of cpus) test(`--cpus ${input} → NanoCpus ${want}`, () => assert.equal(parseCpus(input), want));
test('--cpus: not a number', () => assert.throws(() => parseCpus('abc'), { message: 'invalid argument "abc" for "--cpus" flag: failed to parse abc as a rational number' }));

const publish: Array<[string, Array<[string, string, string]>]> = [
  ['4000:80', [['80/tcp', '', '4000']]],
  ['80', [['80/tcp', '', '']]],
  ['127.0.0.1:4000:80/tcp', [['80/tcp', '127.0.0.1', '4000']]],
  ['127.0.0.1::80', [['80/tcp', '127.0.0.1', '']]],
  ['8000-8001:80-81', [['80/tcp', '', '8000'], ['81/tcp', '', '8001']]],
  ['8000-8010:80', [['80/tcp', '', '8000-8010']]],
  ['53:53/udp', [['53/udp', '', '53']]],
  ['[::1]:4000:80', [['80/tcp', '::1', '4000']]],
];
for (const [spec, want] of publish) {
  test(`-p ${spec}`, () => assert.deepEqual(parsePublish(spec).map((p) => [p.port, p.binding.HostIp, p.binding.HostPort]), want));
}
const badPublish: Array<[string, string]> = [
  ['4000:abc', 'invalid containerPort: abc'],
  ['x:80', 'invalid hostPort: x'],
  ['80/udpx', 'invalid proto: udpx'],
  ['4000:', 'no port specified: 4000:<empty>'],
  ['8000-8002:80-81', 'invalid ranges specified for container and host Ports: 80-81 and 8000-8002'],
  ['1.2.3:80:80', 'invalid IP address: 1.2.3'],
  ['0:70000', 'invalid containerPort: 70000'],
];
for (const [spec, message] of badPublish) test(`-p ${spec} is refused`, () => assert.throws(() => parsePublish(spec), { message }));

test('-e: explicit values, values from the CLI environment, bare names pass through', () => {
  const env: Record<string, string> = { HOME: '/root' };
  const lookup = (k: string) => env[k];
  assert.equal(parseEnvFlag('A=b=c', lookup), 'A=b=c');
  assert.equal(parseEnvFlag('HOME', lookup), 'HOME=/root');
  assert.equal(parseEnvFlag('UNSET', lookup), 'UNSET');
  assert.throws(() => parseEnvFlag('=x', lookup), { message: 'invalid environment variable: =x' });
});

test('--env-file: comments, blank lines, lookups and docker errors', () => {
  const text = '# comment\n\nA=1\n  B=two words\nHOME\nGONE\n';
  assert.deepEqual(parseEnvFile(text, 'e.env', (k) => (k === 'HOME' ? '/h' : undefined)), ['A=1', 'B=two words', 'HOME=/h', 'GONE']);
  assert.throws(() => parseEnvFile('BAD NAME=1', 'e.env', () => undefined), /variable 'BAD NAME' contains whitespaces \(e\.env:1\)/);
  assert.throws(() => parseEnvFile('ok=1\n=1', 'e.env', () => undefined), /no variable name on line '=1' \(e\.env:2\)/);
});

const ulimits: Array<[string, { Name: string; Soft: number; Hard: number } | string]> = [
  ['nofile=1024:2048', { Name: 'nofile', Soft: 1024, Hard: 2048 }],
  ['nproc=512', { Name: 'nproc', Soft: 512, Hard: 512 }],
  ['core=-1', { Name: 'core', Soft: -1, Hard: -1 }],
  ['nofile', 'invalid ulimit argument: nofile'],
  ['bogus=1', 'invalid ulimit type: bogus'],
  ['nofile=2048:1024', 'ulimit soft limit must be less than or equal to hard limit: 2048 > 1024'],
  ['nofile=a:b', 'invalid ulimit argument: nofile=a:b'],
];
for (const [input, want] of ulimits) {
  test(`--ulimit ${input}`, () => {
    if (typeof want === 'string') assert.throws(() => parseUlimit(input), { message: want });
    else assert.deepEqual(parseUlimit(input), want);
  });
}

const volumes: Array<[string, object | string]> = [
  ['/data', { anonymous: '/data' }],
  ['/host:/ctr:ro', { bind: '/host:/ctr:ro' }],
  ['name:/data', { bind: 'name:/data' }],
  ['data', "invalid volume specification: 'data'"],
  ['/a::/b', 'invalid spec: /a::/b: empty section between colons'],
  ['/a:/b:rx', 'invalid mode: rx'],
  ['/a:/b:ro:x', "invalid volume specification: '/a:/b:ro:x'"],
  ['bad$name:/d', /includes invalid characters for a local volume name/.source],
];
for (const [input, want] of volumes) {
  test(`-v ${input}`, () => {
    if (typeof want === 'string') assert.throws(() => parseVolumeFlag(input), (e: Error) => e.message === want || new RegExp(want).test(e.message));
    else assert.deepEqual(parseVolumeFlag(input), want);
  });
}

test('--restart parses policy and retry count', () => {
  assert.deepEqual(parseRestartFlag('always'), { Name: 'always', MaximumRetryCount: 0 });
  assert.deepEqual(parseRestartFlag('on-failure:5'), { Name: 'on-failure', MaximumRetryCount: 5 });
  assert.throws(() => parseRestartFlag('on-failure:x'), /invalid restart policy format: on-failure:x/);
  assert.throws(() => parseRestartFlag('always:2'), /can only be used with 'on-failure'/);
});
