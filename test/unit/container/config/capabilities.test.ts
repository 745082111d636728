// "All capabilities" is the service's own bounding set (moby GetAllCapabilities, runc): the
// CapBnd parse and what --privileged / --cap-add ALL give on a host that lacks some.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CAPABILITIES, buildExecProcess, parseCapabilityMask, tweakCapabilities } from '../../../../runtime/container/config';

const status = (bnd: string) => `Name:\tnode\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapBnd:\t${bnd}\nCapAmb:\t0000000000000000\n`;
const without = (...names: string[]) => ALL_CAPABILITIES.filter((c) => !names.includes(c));

test('parseCapabilityMask: CapBnd bits to names, in number order', () => {
  const table: Array<[string, string[]]> = [
    ['000001ffffffffff', [...ALL_CAPABILITIES]],
    // This machine: no CAP_SYS_RESOURCE (bit 24).
    ['000001fffeffffff', without('CAP_SYS_RESOURCE')],
    ['00000000a80425fb', ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_NET_RAW', 'CAP_SYS_CHROOT', 'CAP_MKNOD', 'CAP_AUDIT_WRITE', 'CAP_SETFCAP']],
    ['0000000000000000', []],
    // A newer kernel's bits past CAP_CHECKPOINT_RESTORE (40) have no name here: left out.
    ['00000fffffffffff', [...ALL_CAPABILITIES]],
  ];
  for (const [bnd, want] of table) assert.deepEqual(parseCapabilityMask(status(bnd)), want, bnd);
  assert.deepEqual(parseCapabilityMask(status('1'), 'CapInh'), []);
  assert.throws(() => parseCapabilityMask('Name:\tx\n'), { message: 'no CapBnd line in the process status' });
});

test('--privileged and --cap-add ALL give ALL ∩ the bounding set; named adds and drops as before', () => {
  const bounding = without('CAP_SYS_RESOURCE', 'CAP_SYS_MODULE');
  const table: Array<[string, string[] | null, string[] | null, boolean, string[]]> = [
    ['privileged', null, null, true, bounding],
    ['add ALL', ['ALL'], null, false, bounding],
    ['add all, drop chown', ['all'], ['CHOWN'], false, bounding.filter((c) => c !== 'CAP_CHOWN')],
    ['drop ALL, add net_admin', ['NET_ADMIN'], ['ALL'], false, ['CAP_NET_ADMIN']],
  ];
  for (const [name, add, drop, priv, want] of table) assert.deepEqual(tweakCapabilities(add, drop, priv, bounding), want, name);
  // Without a bounding set: every known capability (the unit-test default).
  assert.deepEqual(tweakCapabilities(null, null, true), [...ALL_CAPABILITIES]);
});

test('exec into a privileged container: the bounding set too', () => {
  const merged = { config: { Env: [], Hostname: 'h', Tty: false, WorkingDir: '' }, hostConfig: { Privileged: true }, path: 'sh', args: [] } as unknown as Parameters<typeof buildExecProcess>[0];
  const user = { uid: 0, gid: 0, additionalGids: [], home: '/root' };
  const caps = buildExecProcess(merged, { Cmd: ['true'] }, user, without('CAP_SYS_RESOURCE')).capabilities;
  assert.deepEqual(caps?.effective, without('CAP_SYS_RESOURCE'));
  assert.deepEqual(caps?.bounding, without('CAP_SYS_RESOURCE'));
});
