import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildExecProcess, buildRuntimeSpec, DEFAULT_CAPABILITIES, DEFAULT_MASKED_PATHS, mergeCreateRequest, planMounts, toDockerMounts, toMountSpecs, tweakCapabilities,
  type CreateRequest, type ImageConfig, type ResolvedMount, type SpecInput,
} from '../../../../runtime/container/config';

const ID = 'abcdef012345' + '0'.repeat(52);
const ctx = { id: ID, hostCpus: 2, hostHostname: 'h' };
const user = { uid: 0, gid: 0, additionalGids: [], home: '/root' };
const stdio = { stdin: 'null' as const, stdoutFile: '/s/out', stderrFile: '/s/err' };

function spec(body: CreateRequest, image: ImageConfig = {}, extra: Partial<SpecInput> = {}) {
  const merged = mergeCreateRequest(body, image, ctx);
  return buildRuntimeSpec({ id: ID, merged, rootPath: '/r', user, mounts: [], stdio, ...extra });
}

test('defaults: Docker caps, masked and readonly paths, namespaces, env, cwd', () => {
  const s = spec({ Cmd: ['sh', '-c', 'true'] });
  assert.deepEqual(s.process.args, ['sh', '-c', 'true']);
  assert.deepEqual(s.process.capabilities?.bounding, [...DEFAULT_CAPABILITIES]);
  assert.deepEqual(s.process.capabilities?.inheritable, []);
  assert.deepEqual(s.linux.maskedPaths, DEFAULT_MASKED_PATHS);
  assert.ok(s.linux.readonlyPaths?.includes('/proc/sys'));
  assert.deepEqual(s.linux.namespaces.map((n) => n.type).sort(), ['ipc', 'mount', 'network', 'pid', 'uts']);
  assert.deepEqual(s.process.env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=abcdef012345', 'HOME=/root']);
  assert.equal(s.process.cwd, '/');
  assert.equal(s.hostname, 'abcdef012345');
  assert.equal(s.process.noNewPrivileges, false);
  const dests = s.mounts.map((m) => m.destination);
  assert.deepEqual(dests, ['/proc', '/dev', '/dev/pts', '/sys', '/dev/mqueue', '/dev/shm']);
  assert.ok(s.mounts.find((m) => m.destination === '/sys')?.options?.includes('ro'));
});

test('tty adds TERM, image PATH wins over the default, user env wins over all', () => {
  const s = spec({ Cmd: ['sh'], Tty: true, Env: ['HOME=/custom'] }, { Env: ['PATH=/opt/bin'] });
  assert.deepEqual(s.process.env, ['PATH=/opt/bin', 'HOSTNAME=abcdef012345', 'TERM=xterm', 'HOME=/custom']);
  assert.equal(s.process.terminal, true);
});

test('privileged: all caps, nothing masked, /sys read-write', () => {
  const s = spec({ Cmd: ['sh'], HostConfig: { Privileged: true } });
  assert.equal(s.process.capabilities?.bounding?.length, 41);
  assert.deepEqual(s.linux.maskedPaths, []);
  assert.ok(s.mounts.find((m) => m.destination === '/sys')?.options?.includes('rw'));
});

test('resources: --cpus becomes quota/period, memory and pids pass through', () => {
  const s = spec({ Cmd: ['sh'], HostConfig: { NanoCpus: 2e8, Memory: 64 << 20, PidsLimit: 20, CpuShares: 512 } });
  assert.deepEqual(s.linux.resources, { memory: { limit: 64 << 20, swap: 128 << 20 }, cpu: { period: 100000, quota: 20000, shares: 512 }, pids: { limit: 20 } });
  assert.equal(spec({ Cmd: ['sh'] }).linux.resources, undefined);
});

test('network modes: none/default own a namespace, host has none, container joins by path', () => {
  const net = (body: CreateRequest, extra: Partial<SpecInput> = {}, nc?: boolean) => {
    const merged = mergeCreateRequest(body, {}, nc ? { ...ctx, networkContainer: { id: 'x', hostname: 'o', domainname: '' } } : ctx);
    return buildRuntimeSpec({ id: ID, merged, rootPath: '/r', user, mounts: [], stdio, ...extra }).linux.namespaces.find((n) => n.type === 'network');
  };
  assert.deepEqual(net({ Cmd: ['sh'], HostConfig: { NetworkMode: 'none' } }), { type: 'network' });
  assert.equal(net({ Cmd: ['sh'], HostConfig: { NetworkMode: 'host' } }), undefined);
  assert.deepEqual(net({ Cmd: ['sh'], HostConfig: { NetworkMode: 'container:web' } }, { networkNamespacePath: '/proc/42/ns/net' }, true), { type: 'network', path: '/proc/42/ns/net' });
  assert.throws(() => net({ Cmd: ['sh'], HostConfig: { NetworkMode: 'container:web' } }, {}, true), /it is not running/);
});

test('user, workdir, ulimits, readonly rootfs, no-new-privileges, init', () => {
  const s = spec({ Cmd: ['app'], WorkingDir: '/srv', HostConfig: { Ulimits: [{ Name: 'nofile', Soft: 100, Hard: 200 }], ReadonlyRootfs: true, SecurityOpt: ['no-new-privileges'], Init: true } },
    {}, { user: { uid: 1000, gid: 1000, additionalGids: [33], home: '/home/bob' }, initBinary: '/usr/bin/tini-static' });
  assert.deepEqual(s.process.user, { uid: 1000, gid: 1000, additionalGids: [33], umask: 0o022 });
  assert.equal(s.process.cwd, '/srv');
  assert.deepEqual(s.process.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 100, hard: 200 }]);
  assert.equal(s.root.readonly, true);
  assert.equal(s.process.noNewPrivileges, true);
  assert.deepEqual(s.process.args, ['/sbin/docker-init', '--', 'app']);
  assert.ok(s.mounts.some((m) => m.destination === '/sbin/docker-init' && m.source === '/usr/bin/tini-static'));
  assert.ok(s.process.env.includes('HOME=/home/bob'));
  assert.throws(() => spec({ Cmd: ['app'], HostConfig: { Init: true } }), /--init is not available/);
});

const caps: Array<[string, string[], string[], boolean, (c: string[]) => boolean]> = [
  ['defaults', [], [], false, (c) => c.length === 14],
  ['add NET_ADMIN (no prefix, lower case)', ['net_admin'], [], false, (c) => c.length === 15 && c.includes('CAP_NET_ADMIN')],
  ['drop CHOWN', [], ['CAP_CHOWN'], false, (c) => c.length === 13 && !c.includes('CAP_CHOWN')],
  ['drop ALL, add one', ['NET_BIND_SERVICE'], ['ALL'], false, (c) => c.join() === 'CAP_NET_BIND_SERVICE'],
  ['add ALL, drop one', ['ALL'], ['SYS_ADMIN'], false, (c) => c.length === 40 && !c.includes('CAP_SYS_ADMIN')],
  ['privileged wins', [], ['ALL'], true, (c) => c.length === 41],
];
for (const [name, add, drop, priv, check] of caps) {
  test(`capabilities: ${name}`, () => assert.ok(check(tweakCapabilities(add, drop, priv))));
}
test('capabilities: unknown name is Docker\'s error', () => assert.throws(() => tweakCapabilities(['FOO'], [], false), { message: 'unknown capability: "CAP_FOO"' }));

test('mounts: binds, named and anonymous volumes, tmpfs — OCI mounts and inspect Mounts', () => {
  const plan = planMounts(['/host/a:/a:ro', 'cache:/var/cache', '/host/b:/a/b:rw,rshared'], { '/run': 'size=64m,exec' }, { '/data': {}, '/a': {} });
  assert.deepEqual(plan.map((m) => `${m.type}:${m.destination}`), ['bind:/a', 'volume:/var/cache', 'bind:/a/b', 'tmpfs:/run', 'volume:/data']);
  const resolved: ResolvedMount[] = plan.map((m) => (m.type === 'volume' ? { ...m, hostPath: `/state/volumes/${m.name ?? 'anon'}/_data`, volumeName: m.name ?? 'anon' } : m));
  const oci = toMountSpecs(resolved);
  assert.deepEqual(oci.find((m) => m.destination === '/a'), { destination: '/a', type: 'bind', source: '/host/a', options: ['rbind', 'rprivate', 'ro'] });
  assert.deepEqual(oci.find((m) => m.destination === '/a/b')?.options, ['rbind', 'rshared']);
  assert.deepEqual(oci.find((m) => m.destination === '/run')?.options, ['nosuid', 'nodev', 'size=64m']);
  assert.ok(oci.findIndex((m) => m.destination === '/a') < oci.findIndex((m) => m.destination === '/a/b'), 'parents first');
  const docker = toDockerMounts(resolved);
  assert.deepEqual(docker.find((m) => m.Destination === '/var/cache'), { Type: 'volume', Name: 'cache', Source: '/state/volumes/cache/_data', Destination: '/var/cache', Driver: 'local', Mode: 'z', RW: true, Propagation: '' });
  assert.equal(docker.find((m) => m.Destination === '/a')?.RW, false);
});

test('exec process: container env + exec env, TERM with a tty, user/workdir override, container caps', () => {
  const merged = mergeCreateRequest({ Cmd: ['sh'], Env: ['A=1'], WorkingDir: '/app', HostConfig: { CapAdd: ['NET_ADMIN'], Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 20 }] } }, {}, ctx);
  const p = buildExecProcess(merged, { Cmd: ['ls', '-l'], Env: ['A=2', 'B=3'], Tty: true, ConsoleSize: [24, 80] }, { uid: 1000, gid: 1000, additionalGids: [50], home: '/home/u' });
  assert.deepEqual(p.args, ['ls', '-l']);
  assert.deepEqual(p.env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=abcdef012345', 'TERM=xterm', 'A=2', 'HOME=/home/u', 'B=3']);
  assert.equal(p.cwd, '/app');
  assert.deepEqual(p.consoleSize, { height: 24, width: 80 });
  assert.deepEqual(p.user, { uid: 1000, gid: 1000, additionalGids: [50], umask: 0o022 });
  assert.ok(p.capabilities?.bounding?.includes('CAP_NET_ADMIN'));
  assert.deepEqual(p.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 10, hard: 20 }]);
  assert.equal(buildExecProcess(merged, { Cmd: 'id', WorkingDir: '/tmp', Privileged: true }, user).capabilities?.bounding?.length, 41);
  assert.equal(buildExecProcess(merged, { Cmd: 'id', WorkingDir: '/tmp' }, user).cwd, '/tmp');
  assert.throws(() => buildExecProcess(merged, { Cmd: [] }, user), /No exec command specified/);
  assert.throws(() => buildExecProcess(merged, { Cmd: ['x'], WorkingDir: 'rel' }, user), /needs to be an absolute path/);
});
