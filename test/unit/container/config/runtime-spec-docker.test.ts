// The Docker-compatibility parts of the run spec found by the issue #3 audit: the terminal's
// size from HostConfig.ConsoleSize, Docker's binds of the container's own hosts/hostname/
// resolv.conf, and --group-add (for PID 1 and every exec).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildExecProcess, buildRuntimeSpec, mergeCreateRequest, resolveUser, withGroupAdd,
  type CreateRequest, type ResolvedMount, type SpecInput,
} from '../../../../runtime/container/config';

const ID = 'abcdef012345' + '0'.repeat(52);
const ctx = { id: ID, hostCpus: 2, hostHostname: 'h' };
const GROUP = 'root:x:0:\nwheel:x:10:app\naudio:x:29:\nstaff:x:50:\n';
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n';
const stdio = { stdin: 'null' as const, stdoutFile: '/s/out', stderrFile: '/s/err' };
const overlay = { lowerDirs: ['/c/init', '/l/aaa'], upperDir: '/c/diff', workDir: '/c/work' };

function spec(body: CreateRequest, extra: Partial<SpecInput> = {}) {
  const merged = mergeCreateRequest(body, {}, ctx);
  const user = resolveUser(merged.config.User, PASSWD, GROUP);
  return buildRuntimeSpec({ id: ID, merged, rootPath: '/c/merged', user, mounts: [], stdio, overlay, ...extra });
}

const sizes: Array<[string, CreateRequest, { height: number; width: number } | undefined]> = [
  ['tty with a size', { Cmd: ['sh'], Tty: true, HostConfig: { ConsoleSize: [33, 101] } }, { height: 33, width: 101 }],
  ['no tty: no console', { Cmd: ['sh'], HostConfig: { ConsoleSize: [33, 101] } }, undefined],
  ['tty, 0x0 (client not a terminal)', { Cmd: ['sh'], Tty: true, HostConfig: { ConsoleSize: [0, 0] } }, undefined],
  ['tty, no size sent', { Cmd: ['sh'], Tty: true }, undefined],
];
for (const [name, body, want] of sizes) {
  test(`console size: ${name}`, () => assert.deepEqual(spec(body).process.consoleSize, want));
}

const bind = (source: string, destination: string): ResolvedMount => ({ type: 'bind', source, destination, readOnly: false, propagation: 'rprivate', createSource: true });
const netFiles = (s: ReturnType<typeof spec>) => s.mounts.filter((m) => m.destination.startsWith('/etc/')).map((m) => [m.destination, m.source, m.options?.includes('ro') ?? false]);

test('network files: the init layer\'s hosts/hostname/resolv.conf are bound over the image\'s', () => {
  assert.deepEqual(netFiles(spec({ Cmd: ['sh'] })), [
    ['/etc/resolv.conf', '/c/init/etc/resolv.conf', false],
    ['/etc/hostname', '/c/init/etc/hostname', false],
    ['/etc/hosts', '/c/init/etc/hosts', false],
  ]);
});

test('network files: an explicit init layer dir wins; --read-only makes them read-only', () => {
  assert.deepEqual(netFiles(spec({ Cmd: ['sh'], HostConfig: { ReadonlyRootfs: true } }, { initLayerDir: '/other' })).map((m) => [m[1], m[2]]), [
    ['/other/etc/resolv.conf', true], ['/other/etc/hostname', true], ['/other/etc/hosts', true],
  ]);
});

test('network files: a path the user mounts himself is left to his mount; no overlay, no init layer', () => {
  const s = spec({ Cmd: ['sh'] }, { mounts: [bind('/host/hosts', '/etc/hosts')] });
  assert.deepEqual(s.mounts.filter((m) => m.destination === '/etc/hosts').map((m) => m.source), ['/host/hosts']);
  assert.equal(netFiles(s).length, 3);
  assert.deepEqual(netFiles(spec({ Cmd: ['sh'] }, { overlay: undefined })), []);
});

const groupAdds: Array<[string, string, string[], number[] | RegExp | { message: string }]> = [
  ['numeric gids', '', ['10', '4242'], [10, 4242]],
  ['names from /etc/group', '', ['audio', 'staff'], [29, 50]],
  ['on top of the user\'s own groups, no duplicates', 'app', ['wheel', 'audio'], [10, 29]],
  ['unknown name', '', ['nosuch'], { message: 'Unable to find group nosuch: no matching entries in group file' }],
  ['gid out of range', '', ['99999999999'], /gid 99999999999 is out of range/],
];
for (const [name, userSpec, groupAdd, want] of groupAdds) {
  test(`--group-add: ${name}`, () => {
    const body: CreateRequest = { Cmd: ['id'], User: userSpec, HostConfig: { GroupAdd: groupAdd } };
    if (!Array.isArray(want)) return assert.throws(() => spec(body), want);
    assert.deepEqual(spec(body).process.user.additionalGids, want);
  });
}

test('--group-add: an exec gets the container\'s added groups too (moby getUser)', () => {
  const merged = mergeCreateRequest({ Cmd: ['sh'], HostConfig: { GroupAdd: ['audio', '7'] } }, {}, ctx);
  const p = buildExecProcess(merged, { Cmd: ['id'] }, resolveUser('app', PASSWD, GROUP));
  assert.deepEqual(p.user.additionalGids, [10, 29, 7]);
  assert.deepEqual(withGroupAdd({ uid: 0, gid: 0, additionalGids: [], home: '/' }, ['5']), [5], 'no group table: gids still work');
});
