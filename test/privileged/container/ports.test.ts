// Port publishing through the in-namespace proxy: busybox httpd on the container's port 80
// (its own network namespace, only loopback) served on a host port; port in use is a 409.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { privileged } from '../../helpers/tiers';
import { ConflictError } from '../../../runtime/errors';
import { reservePort, type ReservedPort } from '../../../runtime/container/ports/publish';
import type { ContainerProcess } from '../../../runtime/container/start/start';
import { bundles, hostMountsUnder, makeBox, start, type Box } from './harness';

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/index.html', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('port publishing', privileged, () => {
  let box: Box;
  let ctr: ContainerProcess;
  let published: ReservedPort | undefined;
  before(async () => {
    box = makeBox();
    fs.mkdirSync(path.join(box.image, 'www'));
    fs.writeFileSync(path.join(box.image, 'www/index.html'), 'hello from the container\n');
    // Only loopback exists in the container's namespace; the init brought it up.
    ctr = await start(box, ['httpd', '-f', '-p', '127.0.0.1:80', '-h', '/www']);
  });
  after(async () => {
    await published?.close();
    ctr.kill('SIGKILL');
    await ctr.exited;
    try { assert.deepEqual(hostMountsUnder(box.dir), []); } finally { box.cleanup(); }
  });

  test('a host port serves the container\'s port 80', async () => {
    published = await reservePort({ hostIp: '127.0.0.1', hostPort: 0, containerPort: 80 }, { workerPath: bundles().workerPath });
    assert.ok(published.hostPort > 0);
    await published.attach(ctr.pid);
    let last: unknown;
    for (let i = 0; i < 50; i++) { // httpd may still be starting
      try {
        const r = await get(published.hostPort);
        assert.equal(r.status, 200);
        assert.equal(r.body, 'hello from the container\n');
        return;
      } catch (err) { last = err; await new Promise((r) => setTimeout(r, 50)); }
    }
    throw last;
  });

  test('reservePort binds before the container is known; a connection made meanwhile is served after attach', async () => {
    const reserved = await reservePort({ hostIp: '127.0.0.1', hostPort: 0, containerPort: 80 }, { workerPath: bundles().workerPath });
    try {
      const early = get(reserved.hostPort);
      await new Promise((r) => setTimeout(r, 100));
      await reserved.attach(ctr.pid);
      assert.deepEqual(await early, { status: 200, body: 'hello from the container\n' });
    } finally { await reserved.close(); }
  });

  test('the container port is not reachable on the host\'s own loopback', async () => {
    const reachable = await new Promise<boolean>((resolve) => {
      const s = net.connect(80, '127.0.0.1').on('connect', () => { s.destroy(); resolve(true); }).on('error', () => resolve(false));
    });
    assert.equal(reachable, false);
  });

  test('a host port in use is a conflict with Docker\'s wording', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await assert.rejects(reservePort({ hostIp: '127.0.0.1', hostPort: port, containerPort: 80 }, { workerPath: bundles().workerPath }), (err: unknown) => {
        assert.ok(err instanceof ConflictError);
        assert.equal(err.message, `Error starting userland proxy: listen tcp4 127.0.0.1:${port}: bind: address already in use`);
        return true;
      });
    } finally { blocker.close(); }
  });

  test('close frees the host port', async () => {
    const p = published!;
    await p.close();
    published = undefined;
    const free = net.createServer().listen(p.hostPort, '127.0.0.1');
    await new Promise((resolve, reject) => { free.once('listening', resolve); free.once('error', reject); });
    free.close();
  });
});
