// ClientEndpoint + ServiceConnection against a fake service on a real Unix socket: the
// runtime/client path the extension uses (ping, /version, the /events ndjson stream).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ServiceConnection, type ServiceEvent } from '../../../../extension/service/connection';
import { ClientEndpoint, serviceEnvironment } from '../../../../extension/service/endpoint';

test('serviceEnvironment drops the extension host\'s VSCODE_* variables and keeps the rest', () => {
  const env = serviceEnvironment({ PATH: '/bin', VSCODE_IPC_HOOK: '/tmp/x.sock', VSCODE_PID: '1', SLIPWAY_ROOT: '/r', ELECTRON_RUN_AS_NODE: '1' });
  assert.deepEqual(env, { PATH: '/bin', SLIPWAY_ROOT: '/r', ELECTRON_RUN_AS_NODE: '1' });
});

test('connects through the socket, streams /events, and reconnects when the stream ends', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'slipway-endpoint-'));
  const socketPath = path.join(dir, 's.sock');
  let eventStreams = 0;
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    if (url.endsWith('/_ping')) return res.end('OK');
    if (url.endsWith('/version')) return res.end(JSON.stringify({ Version: `7.${eventStreams}`, ApiVersion: '1.47' }));
    if (url.includes('/events')) {
      eventStreams += 1;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // Two events, split across writes, then the stream ends as when the service stops.
      res.write(JSON.stringify({ Type: 'daemon', Action: 'reload', n: eventStreams }) + '\n{"Type":"image",');
      setTimeout(() => res.end('"Action":"pull"}\n'), 20);
      return;
    }
    res.writeHead(404).end('{"message":"page not found"}');
  });
  await new Promise<void>((r) => server.listen(socketPath, r));
  const endpoint = new ClientEndpoint({ socketPath, stateRoot: path.join(dir, 'state') }, {});
  const c = new ServiceConnection({ socketPath, stateRoot: path.join(dir, 'state') }, endpoint,
    { backoff: { initialMs: 10, maxMs: 20, factor: 2, jitter: 0 } });
  t.after(() => { c.dispose(); endpoint.dispose(); server.closeAllConnections(); server.close(); rmSync(dir, { recursive: true, force: true }); });

  const events: ServiceEvent[] = [];
  c.onEvent((e) => events.push(e));
  const versions: string[] = [];
  c.onDidChangeState((s) => { if (s.kind === 'connected') versions.push(s.version.Version); });
  c.start();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${versions.length} connections: ${versions.join(', ')}`)), 5000);
    c.onDidChangeState(() => { if (versions.length >= 2) { clearTimeout(timer); resolve(); } });
  });
  assert.deepEqual(versions.slice(0, 2), ['7.0', '7.1']);
  assert.deepEqual(events.slice(0, 2), [{ Type: 'daemon', Action: 'reload', n: 1 }, { Type: 'image', Action: 'pull' }]);
});
