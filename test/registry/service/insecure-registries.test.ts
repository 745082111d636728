// slipway.insecureRegistries end to end: the extension's ClientEndpoint starts the real service
// (dist/service.js) with the setting in its environment, and a registry named by a
// non-loopback address is reached over HTTPS without the setting (refused: the registry speaks
// plain HTTP) and over plain HTTP with it (push and pull work). A TCP forwarder on the
// machine's own non-loopback IPv4 address stands in front of the real docker-registry on
// 127.0.0.1 and records the first bytes of each connection: a TLS ClientHello or HTTP.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { ClientEndpoint, type ServiceStartSettings } from '../../../extension/service/endpoint';
import { ApiClient } from '../../../runtime/client';
import { importRootfs } from '../../../runtime/image/import';
import { ImageStore } from '../../../runtime/image/store';
import { noSpecialFs } from '../../../runtime/layer/special-fs';
import { bundlePath } from '../../../runtime/paths';
import { smallRootfsTar, startRegistry, whyNoRegistry } from '../../helpers/registry';
import { requires } from '../../helpers/tiers';

/** The first non-internal IPv4 address: a registry domain the transport does not treat as loopback. */
function ownAddress(): string | undefined {
  return Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

const address = ownAddress();
const tier = requires(whyNoRegistry()
  ?? (fs.existsSync(bundlePath('service.js')) ? undefined : 'dist/service.js is missing (npm run build)')
  ?? (address ? undefined : 'no non-loopback IPv4 address to name the registry by'));

/** Listens on host:0 and pipes every connection to 127.0.0.1:port; keeps each connection's first bytes. */
async function forwarder(host: string, port: number): Promise<{ port: number; first: Buffer[]; close(): Promise<void> }> {
  const first: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    sockets.add(inbound);
    const outbound = net.connect(port, '127.0.0.1');
    sockets.add(outbound);
    inbound.once('data', (b: Buffer) => first.push(Buffer.from(b.subarray(0, 8))));
    inbound.pipe(outbound).pipe(inbound);
    const end = () => { inbound.destroy(); outbound.destroy(); sockets.delete(inbound); sockets.delete(outbound); };
    inbound.on('error', end).on('close', end);
    outbound.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return {
    port: (server.address() as net.AddressInfo).port,
    first,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

/** Drains a progress stream; the error of the operation, whether sent as a status or as a message. */
async function operation(client: ApiClient, method: string, apiPath: string, query: Record<string, string>): Promise<{ error?: string; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  try {
    for await (const m of client.stream<Record<string, unknown>>(method, apiPath, { query })) lines.push(m);
  } catch (err) {
    return { error: (err as Error).message, lines };
  }
  const failed = lines.find((l) => typeof l.error === 'string');
  return { error: failed ? String(failed.error) : undefined, lines };
}

test('slipway.insecureRegistries: a non-loopback registry is HTTPS-only without the setting and plain HTTP with it', tier, async () => {
  const registry = await startRegistry();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-insecure-'));
  const location = { socketPath: path.join(dir, 'api.sock'), stateRoot: path.join(dir, 'state') };
  const fwd = await forwarder(address!, registry.port);
  const domain = `${address}:${fwd.port}`;
  const repo = `${domain}/insecure/app`;
  const env = { ...process.env };
  delete env.SLIPWAY_INSECURE_REGISTRIES;
  const endpoints: ClientEndpoint[] = [];
  const startWith = async (settings: ServiceStartSettings): Promise<ApiClient> => {
    const endpoint = new ClientEndpoint(location, env, () => settings);
    endpoints.push(endpoint);
    await endpoint.ensure();
    return endpoint.client;
  };
  try {
    const store = await ImageStore.open(path.join(location.stateRoot, 'image'), { special: noSpecialFs });
    const { image } = await importRootfs(store, Readable.from([smallRootfsTar(randomBytes(20_000))]), { names: [`${repo}:1`] });

    const secure = await startWith({});
    const refused = await operation(secure, 'POST', `/images/${repo}/push`, { tag: '1' });
    assert.ok(refused.error, `push without the setting must fail: ${JSON.stringify(refused.lines)}`);
    assert.ok(fwd.first.length > 0, 'the service reached the registry address');
    assert.ok(fwd.first.every((b) => b[0] === 0x16), `only TLS handshakes without the setting: ${fwd.first.map((b) => b.toString('hex')).join(' ')}`);
    await endpoints[0].stop();

    fwd.first.length = 0;
    const insecure = await startWith({ insecureRegistries: [domain] });
    const pushed = await operation(insecure, 'POST', `/images/${repo}/push`, { tag: '1' });
    assert.equal(pushed.error, undefined);
    const aux = pushed.lines.find((l) => l.aux) as { aux: { Digest: string } } | undefined;
    assert.equal(aux?.aux.Digest, image.manifestDigest);
    assert.ok(fwd.first.length > 0 && fwd.first.every((b) => /^(GET|HEAD|POST|PUT|PATCH) /.test(b.toString('latin1'))), `plain HTTP with the setting: ${fwd.first.map((b) => b.toString('latin1')).join(' | ')}`);

    await insecure.json('DELETE', `/images/${repo}:1`);
    const pulled = await operation(insecure, 'POST', '/images/create', { fromImage: repo, tag: '1' });
    assert.equal(pulled.error, undefined);
    const inspected = await insecure.get<{ Id: string }>(`/images/${repo}:1/json`);
    assert.equal(inspected.Id, image.id);
  } finally {
    for (const e of endpoints) { await e.stop().catch(() => {}); e.dispose(); }
    await fwd.close();
    await registry.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
