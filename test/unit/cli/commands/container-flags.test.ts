// `slipway run` flags → the create body the docker CLI would send, and the ps/port text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunArgs, toCreateRequest } from '../../../../runtime/cli/commands/container-flags';
import { commandText, portsText, table } from '../../../../runtime/cli/commands/table';

test('flags stop at the image; short booleans combine; values inline or separate', () => {
  const cases: Array<[string[], { image: string; command: string[]; bool?: Record<string, boolean>; string?: Record<string, string>; list?: Record<string, string[]> }]> = [
    [['busybox'], { image: 'busybox', command: [] }],
    [['-it', '--rm', 'busybox', 'sh', '-c', 'ls -h'], { image: 'busybox', command: ['sh', '-c', 'ls -h'], bool: { interactive: true, tty: true, rm: true } }],
    [['-dit', '--name=web', '-p', '80:80', '-p8080:81', 'img', '-p'], { image: 'img', command: ['-p'], bool: { detach: true, interactive: true, tty: true }, string: { name: 'web' }, list: { publish: ['80:80', '8080:81'] } }],
    [['-eA=1', '-e', 'B', '--env=C=3', 'img'], { image: 'img', command: [], list: { env: ['A=1', 'B', 'C=3'] } }],
    [['--rm=false', '--', 'img', 'x'], { image: 'img', command: ['x'], bool: { rm: false } }],
  ];
  for (const [args, want] of cases) {
    const got = parseRunArgs(args);
    assert.equal(got.image, want.image, args.join(' '));
    assert.deepEqual(got.command, want.command, args.join(' '));
    assert.deepEqual(got.values.bool, want.bool ?? {}, args.join(' '));
    assert.deepEqual(got.values.string, want.string ?? {}, args.join(' '));
    assert.deepEqual(got.values.list, want.list ?? {}, args.join(' '));
  }
});

test('bad flags: docker\'s wording', () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /requires at least 1 argument/],
    [['--bogus', 'img'], /unknown flag: --bogus/],
    [['-Z', 'img'], /unknown shorthand flag: 'Z'/],
    [['--name'], /flag needs an argument: --name/],
    [['--rm=maybe', 'img'], /invalid argument "maybe" for "--rm" flag/],
  ];
  for (const [args, message] of cases) assert.throws(() => parseRunArgs(args), message, args.join(' '));
  const body = (args: string[]) => toCreateRequest(parseRunArgs(args), {});
  assert.throws(() => body(['-p', '99999:80', 'img']), /invalid hostPort: 99999/);
  assert.throws(() => body(['-m', '12x', 'img']), /invalid argument "12x" for "-m, --memory" flag/);
  assert.throws(() => body(['-v', 'rel/dir', 'img']), /invalid volume specification/);
  assert.throws(() => body(['--rm', '--restart', 'always', 'img']), /cannot specify both --restart and --rm/);
  assert.throws(() => body(['--env-file', '/nonexistent/env', 'img']), /open \/nonexistent\/env: no such file or directory/);
});

test('the create body: attach flags, env, ports, binds, volumes, resources', () => {
  const { body, name } = toCreateRequest(parseRunArgs([
    '--name', 'web', '-i', '-t', '--rm', '-e', 'A=1', '-e', 'HOME_FROM_CLI', '-p', '127.0.0.1:4000:80', '-p', '53/udp',
    '-v', 'data:/data', '-v', '/anon', '-v', '/host:/ctr:ro', '-m', '64m', '--cpus', '0.5', '--pids-limit', '20', '-w', '/srv', '-u', '1000:50',
    '--entrypoint', '', '-l', 'a=b', 'busybox', 'sh',
  ]), { HOME_FROM_CLI: '/home/me' });
  assert.equal(name, 'web');
  assert.deepEqual({ ...body, HostConfig: undefined }, {
    Image: 'busybox', Cmd: ['sh'], Entrypoint: [''], Env: ['A=1', 'HOME_FROM_CLI=/home/me'], Tty: true, OpenStdin: true, StdinOnce: true,
    AttachStdin: true, AttachStdout: true, AttachStderr: true, WorkingDir: '/srv', User: '1000:50',
    ExposedPorts: { '80/tcp': {}, '53/udp': {} }, Volumes: { '/anon': {} }, Labels: { a: 'b' }, HostConfig: undefined,
  });
  const hc = body.HostConfig!;
  assert.deepEqual(hc.PortBindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '4000' }], '53/udp': [{ HostIp: '', HostPort: '' }] });
  assert.deepEqual(hc.Binds, ['data:/data', '/host:/ctr:ro']);
  assert.equal(hc.AutoRemove, true);
  assert.equal(hc.Memory, 64 * 1024 * 1024);
  assert.equal(hc.NanoCpus, 5e8);
  assert.equal(hc.PidsLimit, 20);
  // -d: nothing attached, stdin kept open only with -i, and never "once".
  const detached = toCreateRequest(parseRunArgs(['-d', '-i', 'busybox']), {}).body;
  assert.deepEqual([detached.AttachStdin, detached.AttachStdout, detached.AttachStderr, detached.OpenStdin, detached.StdinOnce], [false, false, false, true, false]);
});

test('ps text: table columns padded by three, ports and command as docker prints them', () => {
  assert.equal(table(['A', 'LONG HEADER', 'C'], [['xyz', 'v', 'last'], ['', 'w', '']]), 'A     LONG HEADER   C\nxyz   v             last\n      w\n');
  assert.equal(portsText([{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 4000, Type: 'tcp' }, { PrivatePort: 443, Type: 'tcp' }]), '0.0.0.0:4000->80/tcp, 443/tcp');
  assert.equal(commandText('sh -c echo hello; echo there'), '"sh -c echo hello; e…"');
  assert.equal(commandText('true'), '"true"');
});
