// -p through the manager with the real port proxy: busybox httpd in a container with its own
// network namespace answers on a host port, and the port is released when the container stops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { detectCgroups } from '../../../runtime/cgroups';
import { ContainerManager } from '../../../runtime/container/manager';
import { HostPorts } from '../../../runtime/container/ports/host-ports';
import { createStarter } from '../../../runtime/container/starter';
import { writeInitLayer } from '../../../runtime/container/start/init-layer';
import { ContainerStore } from '../../../runtime/container/state';
import { VolumeStore } from '../../../runtime/volumes';
import { makeBusyboxRootfs } from '../../helpers/rootfs';
import { privileged } from '../../helpers/tiers';
import { bundles, sys } from '../container/harness';

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/index.html' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => { body += d; }).on('end', () => resolve(body));
    }).on('error', reject);
  });
}

const refused = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(false); }).on('error', () => resolve(true));
});

test('-p 0:80 serves busybox httpd from the container, and stops serving after stop', privileged, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-mgrport-'));
  let removeAll = async () => {};
  try {
    const rootfs = makeBusyboxRootfs(path.join(root, 'image')).path;
    fs.mkdirSync(path.join(rootfs, 'www'));
    fs.writeFileSync(path.join(rootfs, 'www/index.html'), 'hello from slipway\n');
    const state = path.join(root, 'state');
    const store = new ContainerStore(state);
    const errors: string[] = [];
    const manager = new ContainerManager({
      store, volumes: new VolumeStore(state), cgroups: detectCgroups(), starter: createStarter(sys(), bundles()),
      images: { resolve: async () => ({ id: `sha256:${'c'.repeat(64)}`, config: { Cmd: ['sh'] }, layers: [rootfs] }) },
      publish: () => undefined,
      ports: new HostPorts({ workerPath: bundles().workerPath }),
      host: { cpus: os.cpus().length, hostname: os.hostname(), memory: os.totalmem() },
      writeInitLayer: (dir, o) => writeInitLayer(dir, o),
      onError: (ctx, err) => errors.push(`${ctx}: ${String(err)}`),
    });
    await store.load();
    removeAll = async () => { for (const r of store.list()) await manager.remove(r.id, { force: true }).catch(() => undefined); };
    const { Id } = await manager.create({ Image: 'busybox', Cmd: ['httpd', '-f', '-p', '80', '-h', '/www'], HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '0' }] } } });
    await manager.start(Id);
    const [mapping] = store.get(Id).ports;
    assert.equal(mapping.containerPort, 80);
    assert.ok(mapping.hostPort > 0);
    let body = '';
    for (let i = 0; i < 50 && !body; i++) body = await get(mapping.hostPort).catch(() => new Promise<string>((r) => setTimeout(() => r(''), 50)));
    assert.equal(body, 'hello from slipway\n');
    await manager.stop(Id, { timeout: 1 });
    assert.equal(await refused(mapping.hostPort), true, 'host port released');
    assert.deepEqual(store.get(Id).ports, []);
    assert.deepEqual(errors, []);
  } finally {
    await removeAll();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
