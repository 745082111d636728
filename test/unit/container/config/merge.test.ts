import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeCommand, mergeCreateRequest, mergeEnv, type CreateRequest, type ImageConfig, type MergeContext } from '../../../../runtime/container/config';

const ID = '0123456789ab' + 'c'.repeat(52);
const ctx: MergeContext = { id: ID, hostCpus: 2, hostHostname: 'buildhost' };
const IMAGE: ImageConfig = { Entrypoint: ['/entry.sh'], Cmd: ['serve'], Env: ['PATH=/img/bin', 'A=1'], WorkingDir: '/app', User: 'www', Volumes: { '/var/data': {} }, StopSignal: 'SIGQUIT' };

// [name, user Entrypoint, user Cmd, image, want argv | error]
const commands: Array<[string, string[] | null, string[] | null, ImageConfig, string[] | RegExp]> = [
  ['image defaults', null, null, IMAGE, ['/entry.sh', 'serve']],
  ['user cmd keeps image entrypoint', null, ['debug'], IMAGE, ['/entry.sh', 'debug']],
  ['user entrypoint drops image cmd', ['/bin/sh'], null, IMAGE, ['/bin/sh']],
  ['user entrypoint and cmd', ['/bin/sh'], ['-c', 'true'], IMAGE, ['/bin/sh', '-c', 'true']],
  ['--entrypoint "" with a cmd', [''], ['echo', 'hi'], IMAGE, ['echo', 'hi']],
  ['--entrypoint "" alone', [''], null, IMAGE, /no command specified/],
  ['empty entrypoint array means none given', [], null, { Cmd: ['sh'] }, ['sh']],
  ['nothing anywhere', null, null, {}, /no command specified/],
];
for (const [name, ep, cmd, image, want] of commands) {
  test(`Entrypoint/Cmd: ${name}`, () => {
    if (want instanceof RegExp) assert.throws(() => mergeCommand(ep, cmd, image), want);
    else {
      const r = mergeCommand(ep, cmd, image);
      assert.deepEqual([r.path, ...r.args], want);
    }
  });
}

test('env: user entries replace image ones by name, bare names unset', () => {
  assert.deepEqual(mergeEnv(['PATH=/x', 'A=1', 'B=2'], ['A=9', 'C=3', 'B']), ['PATH=/x', 'A=9', 'C=3']);
});

test('merge: image defaults fill the gaps, hostname is the short id, image volumes kept', () => {
  const m = mergeCreateRequest({ Image: 'web:1', Env: ['A=2'] }, IMAGE, ctx);
  assert.equal(m.config.Hostname, '0123456789ab');
  assert.equal(m.config.User, 'www');
  assert.equal(m.config.WorkingDir, '/app');
  assert.deepEqual(m.config.Env, ['PATH=/img/bin', 'A=2']);
  assert.deepEqual(m.config.Volumes, { '/var/data': {} });
  assert.equal(m.config.StopSignal, 'SIGQUIT');
  assert.equal(m.hostConfig.NetworkMode, 'default');
  assert.equal(m.path, '/entry.sh');
});

test('merge: --memory alone allows as much swap again (MemorySwap = 2 × Memory)', () => {
  const m = mergeCreateRequest({ Image: 'x', Cmd: ['sh'], HostConfig: { Memory: 64 * 1024 * 1024 } }, {}, ctx);
  assert.equal(m.hostConfig.MemorySwap, 128 * 1024 * 1024);
});

test('merge: host network takes the host name; container network takes the other container\'s', () => {
  assert.equal(mergeCreateRequest({ Cmd: ['sh'], HostConfig: { NetworkMode: 'host' } }, {}, ctx).config.Hostname, 'buildhost');
  // docker 28: -h with --network host names the container's own UTS namespace.
  assert.equal(mergeCreateRequest({ Cmd: ['sh'], Hostname: 'foo', HostConfig: { NetworkMode: 'host' } }, {}, ctx).config.Hostname, 'foo');
  const m = mergeCreateRequest({ Cmd: ['sh'], HostConfig: { NetworkMode: 'container:web' } }, {}, { ...ctx, networkContainer: { id: 'f'.repeat(64), hostname: 'webhost', domainname: '' } });
  assert.equal(m.config.Hostname, 'webhost');
});

test('merge: published ports are exposed too', () => {
  const m = mergeCreateRequest({ Cmd: ['sh'], HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '4000' }] } } }, { ExposedPorts: { '443/tcp': {} } }, ctx);
  assert.deepEqual(Object.keys(m.config.ExposedPorts ?? {}).sort(), ['443/tcp', '80/tcp']);
});

const MB = 1024 * 1024;
const bad: Array<[string, CreateRequest, RegExp]> = [
  ['relative workdir', { Cmd: ['sh'], WorkingDir: 'app' }, /the working directory 'app' is invalid, it needs to be an absolute path/],
  ['tiny memory', { Cmd: ['sh'], HostConfig: { Memory: 1 * MB } }, /Minimum memory limit allowed is 6MB/],
  ['swap without memory', { Cmd: ['sh'], HostConfig: { MemorySwap: 100 * MB } }, /always set the Memory limit/],
  ['swap below memory', { Cmd: ['sh'], HostConfig: { Memory: 100 * MB, MemorySwap: 50 * MB } }, /Minimum memoryswap limit should be larger/],
  ['cpus and quota', { Cmd: ['sh'], HostConfig: { NanoCpus: 5e8, CpuQuota: 50000 } }, /Nano CPUs and CPU Quota cannot both be set/],
  ['too many cpus', { Cmd: ['sh'], HostConfig: { NanoCpus: 3e9 } }, /Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available/],
  ['tiny period', { Cmd: ['sh'], HostConfig: { CpuPeriod: 10 } }, /CPU cfs period can not be less than 1ms/],
  ['tiny quota', { Cmd: ['sh'], HostConfig: { CpuQuota: 10 } }, /CPU cfs quota can not be less than 1ms/],
  ['unknown network', { Cmd: ['sh'], HostConfig: { NetworkMode: 'mynet' } }, /network mynet not found/],
  ['hostname with container network', { Cmd: ['sh'], Hostname: 'x', HostConfig: { NetworkMode: 'container:web' } }, /conflicting options: hostname and the network mode/],
  ['missing network container', { Cmd: ['sh'], HostConfig: { NetworkMode: 'container:nope' } }, /No such container: nope/],
  ['bad stop signal', { Cmd: ['sh'], StopSignal: 'SIGNOPE' }, /Invalid signal: SIGNOPE/],
  ['bad bind', { Cmd: ['sh'], HostConfig: { Binds: ['/a:relative'] } }, /mount path must be absolute/],
  ['duplicate mount point', { Cmd: ['sh'], HostConfig: { Binds: ['/a:/d', 'vol:/d'] } }, /Duplicate mount point: \/d/],
  ['autoremove with restart', { Cmd: ['sh'], HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always' } } }, /can't create 'AutoRemove' container with restart policy/],
  ['bad hostname', { Cmd: ['sh'], Hostname: 'no spaces please' }, /invalid hostname format/],
];
for (const [name, body, want] of bad) {
  test(`merge refuses: ${name}`, () => assert.throws(() => mergeCreateRequest(body, {}, ctx), want));
}

test('merge errors carry HTTP statuses: 400 for bad options, 404 for missing things', () => {
  const status = (body: CreateRequest) => { try { mergeCreateRequest(body, {}, ctx); } catch (e) { return (e as { status: number }).status; } return 0; };
  assert.equal(status({ Cmd: ['sh'], WorkingDir: 'x' }), 400);
  assert.equal(status({ Cmd: ['sh'], HostConfig: { NetworkMode: 'mynet' } }), 404);
});

const restartPolicies: Array<[object, RegExp | null]> = [
  [{ Name: 'always' }, null],
  [{ Name: 'on-failure', MaximumRetryCount: 3 }, null],
  [{ Name: '' }, null],
  [{ Name: 'sometimes' }, /invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'/],
  [{ Name: 'always', MaximumRetryCount: 2 }, /maximum retry count can only be used with 'on-failure'/],
  [{ Name: 'on-failure', MaximumRetryCount: -1 }, /maximum retry count cannot be negative/],
];
for (const [policy, want] of restartPolicies) {
  test(`restart policy ${JSON.stringify(policy)}`, () => {
    const run = () => mergeCreateRequest({ Cmd: ['sh'], HostConfig: { RestartPolicy: policy } }, {}, ctx);
    if (want) assert.throws(run, want);
    else assert.doesNotThrow(run);
  });
}
