// HTTP_PROXY/NO_PROXY are honoured (Node 20's global fetch would ignore them): a forward proxy
// written here sees the registry requests, and NO_PROXY sends them past it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImageStore } from '../../../runtime/image/store';
import { parseReference } from '../../../runtime/image/reference';
import { MediaType, hostPlatform } from '../../../runtime/image/types';
import { noSpecialFs } from '../../../runtime/layer/special-fs';
import { pullImage } from '../../../runtime/registry/pull';
import { pushImage } from '../../../runtime/registry/push';
import { RegistrySession } from '../../../runtime/registry/session';
import { requires } from '../../helpers/tiers';
import { startRegistry, whyNoRegistry } from '../../helpers/registry';

async function forwardProxy() {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const up = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  // undici's proxy agent tunnels every request through CONNECT, as proxies must allow for TLS.
  const tunnels = new Set<net.Socket>();
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const up = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    for (const s of [up, client]) {
      tunnels.add(s);
      s.on('error', () => { up.destroy(); client.destroy(); });
      s.on('close', () => tunnels.delete(s));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, seen, stop: () => new Promise<void>((r) => { for (const t of tunnels) t.destroy(); server.closeAllConnections(); server.close(() => r()); }) };
}

test('pull goes through HTTP_PROXY, and around it for hosts in NO_PROXY', requires(whyNoRegistry()), async () => {
  const registry = await startRegistry();
  const proxy = await forwardProxy();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-proxy-env-'));
  const direct = new RegistrySession({ env: {} });
  const proxied = new RegistrySession({ env: { HTTP_PROXY: proxy.url } });
  const bypass = new RegistrySession({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } });
  try {
    const src = await ImageStore.open(path.join(dir, 'src'), { special: noSpecialFs });
    const layer = await src.blobs.put(Buffer.alloc(2000, 3));
    const p = hostPlatform();
    const name = `${registry.host}/proxy/app:1`;
    await src.putImage({ config: { architecture: p.architecture, os: p.os, rootfs: { type: 'layers', diff_ids: [`sha256:${'2'.repeat(64)}`] } }, layers: [{ mediaType: MediaType.ociLayerGzip, ...layer }], names: [name] });
    await pushImage(src, parseReference(name), { session: direct });
    assert.equal(proxy.seen.length, 0);

    await pullImage(await ImageStore.open(path.join(dir, 'a'), { special: noSpecialFs }), parseReference(name), { session: proxied });
    assert.ok(proxy.seen.includes(`CONNECT ${registry.host}`) || proxy.seen.includes(`GET http://${registry.host}/v2/proxy/app/manifests/1`), proxy.seen.join('\n'));

    const before = proxy.seen.length;
    await pullImage(await ImageStore.open(path.join(dir, 'b'), { special: noSpecialFs }), parseReference(name), { session: bypass });
    assert.equal(proxy.seen.length, before, 'NO_PROXY host bypassed the proxy');
  } finally {
    await Promise.all([direct.close(), proxied.close(), bypass.close()]);
    await proxy.stop();
    await registry.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
