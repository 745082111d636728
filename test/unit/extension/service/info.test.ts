import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeServiceInfo } from '../../../../extension/service/info';

const location = { socketPath: '/run/slipway/slipway.sock', stateRoot: '/var/lib/slipway' };

test('a full /version + /info gives counts in the message and one detail row per fact', () => {
  const s = summarizeServiceInfo(
    { Version: '0.1.0', ApiVersion: '1.47', MinAPIVersion: '1.24', Arch: 'amd64' },
    { Containers: 3, ContainersRunning: 1, Images: 1, Driver: 'overlay2', KernelVersion: '6.1.0', OperatingSystem: 'Debian 12',
      CgroupVersion: '1', CgroupDriver: 'cgroupfs', NCPU: 2, MemTotal: 2 * 2 ** 30, DockerRootDir: '/srv/slipway', SecurityOptions: ['name=seccomp'] },
    location,
  );
  assert.equal(s.message, 'Slipway 0.1.0 (API 1.47) — 3 containers (1 running), 1 image');
  assert.deepEqual(s.detail, [
    'Server version: 0.1.0', 'API version: 1.47 (minimum 1.24)', 'Operating system: Debian 12', 'Kernel: 6.1.0',
    'Architecture: amd64', 'CPUs / memory: 2 / 2.0 GiB', 'Storage driver: overlay2', 'Cgroups: v1 (cgroupfs)',
    'Mode: root', 'State directory: /srv/slipway', 'Socket: /run/slipway/slipway.sock',
  ]);
});

test('missing fields are left out, not printed as undefined', () => {
  const s = summarizeServiceInfo({ Version: '9', ApiVersion: '1.45' }, { SecurityOptions: ['name=rootless'] }, location);
  assert.equal(s.message, 'Slipway 9 (API 1.45)');
  assert.ok(!s.detail.join('\n').includes('undefined'));
  assert.ok(s.detail.includes('Mode: rootless'));
  assert.ok(s.detail.includes('State directory: /var/lib/slipway'));
});
