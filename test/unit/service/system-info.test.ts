import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectCgroupVersion, hostFacts, infoBody, parseOsRelease, versionBody } from '../../../runtime/service/system-info';
import { API_VERSION, MIN_API_VERSION, PRODUCT_VERSION } from '../../../runtime/service/api-version';

test('os-release parsing', () => {
  assert.deepEqual(parseOsRelease('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\n'), { prettyName: 'Debian GNU/Linux 12 (bookworm)', versionId: '12' });
  assert.deepEqual(parseOsRelease("PRETTY_NAME='Alpine Linux v3.19'\n# comment\n"), { prettyName: 'Alpine Linux v3.19', versionId: undefined });
});

test('cgroup version detection from a root shaped like v1 or v2', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cg-'));
  try {
    fs.mkdirSync(path.join(root, 'sys/fs/cgroup/memory'), { recursive: true });
    assert.equal(detectCgroupVersion(root), '1');
    fs.writeFileSync(path.join(root, 'sys/fs/cgroup/cgroup.controllers'), 'cpu memory pids\n');
    assert.equal(detectCgroupVersion(root), '2');
    fs.mkdirSync(path.join(root, 'etc'));
    fs.writeFileSync(path.join(root, 'etc/os-release'), 'PRETTY_NAME="Test OS 1"\nVERSION_ID=1\n');
    const facts = hostFacts(root);
    assert.equal(facts.operatingSystem, 'Test OS 1');
    assert.equal(facts.cgroupVersion, '2');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

const host = hostFacts();

test('/version has Docker\'s shape with Slipway as the platform', () => {
  const v = versionBody(host);
  assert.equal(v.Platform.Name, 'Slipway');
  assert.equal(v.Components[0].Name, 'Engine');
  assert.equal(v.Components[0].Version, PRODUCT_VERSION);
  assert.equal(v.Components[0].Details.ApiVersion, API_VERSION);
  assert.equal(v.MinAPIVersion, MIN_API_VERSION);
  assert.equal(v.Os, 'linux');
  assert.equal(v.KernelVersion, os.release());
  assert.ok(['amd64', 'arm64'].includes(v.Arch));
});

test('/info reports the counts, the state root and the host', () => {
  const info = infoBody({ host, stateRoot: '/var/lib/slipway-test', containers: { total: 3, running: 1, paused: 0, stopped: 2 }, images: 7, now: new Date(0) });
  assert.equal(info.Containers, 3);
  assert.equal(info.ContainersRunning, 1);
  assert.equal(info.ContainersStopped, 2);
  assert.equal(info.Images, 7);
  assert.equal(info.DockerRootDir, '/var/lib/slipway-test');
  assert.equal(info.Driver, 'overlay2');
  assert.equal(info.CgroupDriver, 'cgroupfs');
  assert.equal(info.CgroupVersion, host.cgroupVersion);
  assert.equal(info.NCPU, os.availableParallelism());
  assert.equal(info.MemTotal, os.totalmem());
  assert.equal(info.Name, os.hostname());
  assert.equal(info.ServerVersion, PRODUCT_VERSION);
  assert.equal(info.SystemTime, '1970-01-01T00:00:00.000Z');
});

test('/info lists insecure registries as non-secure index configs, docker.io stays secure', () => {
  const info = infoBody({ host, stateRoot: '/s', containers: { total: 0, running: 0, paused: 0, stopped: 0 }, images: 0, now: new Date(0), insecureRegistries: ['reg.lan:5000'] });
  const index = (info.RegistryConfig as { IndexConfigs: Record<string, { Secure: boolean; Official: boolean }> }).IndexConfigs;
  assert.deepEqual(Object.keys(index).sort(), ['docker.io', 'reg.lan:5000']);
  assert.equal(index['reg.lan:5000'].Secure, false);
  assert.equal(index['docker.io'].Secure, true);
});
