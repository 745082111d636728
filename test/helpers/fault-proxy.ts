// A test-only HTTP proxy on 127.0.0.1 in front of a registry that misbehaves on request:
// corrupts a blob's bytes, cuts a blob download half way (once), or answers 503 (once) to
// requests whose path contains a string. Every request is logged with the Range it carried.
import http from 'node:http';
import type net from 'node:net';

export interface Faults {
  /** Digest whose GET body gets one byte flipped. */
  corrupt?: string;
  /** Digest whose next GET is cut after half its bytes (the connection is destroyed). */
  cutOnce?: string;
  /** Path substring whose next request is answered 503. */
  fail503Once?: string;
}

export interface FaultProxy {
  host: string;
  faults: Faults;
  log: Array<{ method: string; path: string; status: number; range?: string }>;
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const [targetHost, targetPort] = target.split(':');
  const faults: Faults = {};
  const log: FaultProxy['log'] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const entry = { method: req.method ?? 'GET', path, status: 0, ...(req.headers.range ? { range: String(req.headers.range) } : {}) };
    log.push(entry);
    if (faults.fail503Once && path.includes(faults.fail503Once)) {
      faults.fail503Once = undefined;
      entry.status = 503;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAVAILABLE","message":"injected"}]}');
      return;
    }
    const upstream = http.request({ host: targetHost, port: Number(targetPort), method: req.method, path, headers: req.headers }, (up) => {
      entry.status = up.statusCode ?? 0;
      const isBlobGet = req.method === 'GET' && /\/blobs\/sha256:/.test(path);
      const digest = isBlobGet ? /\/blobs\/(sha256:[a-f0-9]{64})/.exec(path)?.[1] : undefined;
      res.writeHead(up.statusCode ?? 502, up.headers);
      if (digest && digest === faults.cutOnce && up.statusCode === 200) {
        faults.cutOnce = undefined;
        const half = Math.floor(Number(up.headers['content-length'] ?? 0) / 2);
        let sent = 0;
        up.on('data', (chunk: Buffer) => {
          if (sent >= half) return;
          const part = chunk.subarray(0, half - sent);
          sent += part.length;
          res.write(part, () => { if (sent >= half) { up.destroy(); res.socket?.destroy(); } });
        });
        return;
      }
      if (digest && digest === faults.corrupt) {
        let first = true;
        up.on('data', (chunk: Buffer) => {
          if (first && chunk.length > 0) {
            chunk = Buffer.from(chunk);
            chunk[0] ^= 0xff;
            first = false;
          }
          res.write(chunk);
        });
        up.on('end', () => res.end());
        return;
      }
      up.pipe(res);
    });
    upstream.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    faults,
    log,
    stop: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
