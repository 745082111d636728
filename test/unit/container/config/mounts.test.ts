// `-v` binds vs `--mount` (HostConfig.Mounts): what each asks of the host source, and moby's
// validation wording for bad --mount entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseApiMount, parseBind, planMounts, type ApiMount, type MountRequest } from '../../../../runtime/container/config';

test('a -v bind creates its missing source, a --mount bind does not', () => {
  assert.deepEqual(parseBind('/host/dir:/x:ro'), { type: 'bind', source: '/host/dir', destination: '/x', readOnly: true, propagation: 'rprivate', createSource: true });
  assert.deepEqual(parseApiMount({ Type: 'bind', Source: '/host/dir/', Target: '/x', ReadOnly: true }), { type: 'bind', source: '/host/dir/', destination: '/x', readOnly: true, propagation: 'rprivate' });
});

test('HostConfig.Mounts entries become mount requests', () => {
  const table: Array<[ApiMount, MountRequest]> = [
    [{ Type: 'bind', Source: '/a/../b', Target: '/in/', BindOptions: { Propagation: 'rshared' } }, { type: 'bind', source: '/b', destination: '/in', readOnly: false, propagation: 'rshared' }],
    [{ Type: 'volume', Source: 'cache', Target: '/var/cache', VolumeOptions: { NoCopy: true } }, { type: 'volume', name: 'cache', destination: '/var/cache', readOnly: false, noCopy: true }],
    [{ Type: 'volume', Target: '/anon', ReadOnly: true }, { type: 'volume', destination: '/anon', readOnly: true, noCopy: false }],
    [{ Type: 'tmpfs', Target: '/run', TmpfsOptions: { SizeBytes: 65536, Mode: 0o1777 } }, { type: 'tmpfs', destination: '/run', options: ['nosuid', 'nodev', 'noexec', 'size=65536', 'mode=1777'] }],
  ];
  for (const [input, want] of table) assert.deepEqual(parseApiMount(input), want, JSON.stringify(input));
});

test('bad HostConfig.Mounts entries are refused with moby\'s wording', () => {
  const table: Array<[ApiMount, string]> = [
    [{ Type: 'bind', Source: '/a' }, 'invalid mount config for type "bind": field Target must not be empty'],
    [{ Type: 'bind', Target: '/x' }, 'invalid mount config for type "bind": field Source must not be empty'],
    [{ Type: 'bind', Source: 'rel', Target: '/x' }, 'invalid mount config for type "bind": invalid mount path: \'rel\' mount path must be absolute'],
    [{ Type: 'bind', Source: '/a', Target: 'x' }, 'invalid mount config for type "bind": invalid mount path: \'x\' mount path must be absolute'],
    [{ Type: 'bind', Source: '/a', Target: '/x', BindOptions: { Propagation: 'sideways' } }, 'invalid mount config for type "bind": invalid propagation mode: sideways'],
    [{ Type: 'volume', Source: '../up', Target: '/x' }, 'invalid mount config for type "volume": invalid volume name: "../up"'],
    [{ Type: 'tmpfs', Source: '/a', Target: '/x' }, 'invalid mount config for type "tmpfs": field Source must not be specified'],
    [{ Type: 'npipe', Source: '/a', Target: '/x' }, 'invalid mount config for type "npipe": mount type unknown'],
  ];
  for (const [input, message] of table) assert.throws(() => parseApiMount(input), { message, name: 'InvalidArgumentError' }, JSON.stringify(input));
});

test('planMounts: --mount after -v, a destination used by both is a duplicate', () => {
  const plan = planMounts(['/h:/a'], null, { '/data': {} }, [{ Type: 'bind', Source: '/m', Target: '/b' }]);
  assert.deepEqual(plan.map((m) => [m.type, m.destination, m.type === 'bind' && m.createSource === true]), [['bind', '/a', true], ['bind', '/b', false], ['volume', '/data', false]]);
  assert.throws(() => planMounts(['/h:/a'], null, null, [{ Type: 'tmpfs', Target: '/a' }]), /Duplicate mount point: \/a/);
});
