// The HTTP server of the API: turns Node's 'request' and 'upgrade' events into Calls, runs
// them through the route table, and answers every failure the way Docker does
// ({"message": ...} with the error's status). It never lets one bad connection hurt others:
// malformed HTTP gets a 400 and a closed socket, a handler's crash becomes a 500.
import http from 'node:http';
import type { Socket } from 'node:net';
import { describe, statusOf } from '../errors';
import { API_VERSION, PRODUCT_VERSION } from './api-version';
import { HttpCall, UpgradeCall, commonHeaders } from './call';
import type { ServiceContext } from './context';
import { Router, type Route } from './router';
import { trace } from '../common/trace';

export interface ApiServer {
  readonly http: http.Server;
  /** Stops accepting, ends streams and hijacked connections, waits up to `graceMs` for the rest. */
  close(graceMs?: number): Promise<void>;
}

export function createApiServer(ctx: ServiceContext, routes: readonly Route[]): ApiServer {
  const router = new Router(routes);
  const base = commonHeaders(API_VERSION, PRODUCT_VERSION);
  const sockets = new Set<Socket>();
  // Attach streams can last hours; Docker clients expect no idle timeout on the API socket.
  const server = http.createServer({ requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 5_000 });

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    void run(new HttpCall(ctx, req, res, base));
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', (err) => ctx.log.debug('upgraded connection error', { err }));
    void run(new UpgradeCall(ctx, req, socket, head, base));
  });

  // Malformed HTTP (garbage, bad headers, a body cut short): answer 400 if the socket still
  // takes writes, then drop it. Node would do the same by default, silently; we log it.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    ctx.log.debug('malformed request', { code: err.code, err });
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ message: `bad request: ${err.code === 'HPE_HEADER_OVERFLOW' ? 'headers too large' : err.message.toLowerCase()}` }) + '\n';
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });

  async function run(call: HttpCall | UpgradeCall): Promise<void> {
    const started = Date.now();
    trace(`request ${call.method} ${call.path}`);
    let status = 0;
    try {
      const match = router.match(call.method, call.path);
      call.bind(match);
      const result = await match.route.handler(call);
      if (!call.answered) {
        status = result === undefined ? 204 : 200;
        call.reply(status, result);
      }
      trace(`answered ${call.method} ${call.path}`);
    } catch (err) {
      status = statusOf(err);
      if (status >= 500) ctx.log.error('request failed', { method: call.method, path: call.path, err });
      if (call.answered) call.destroy();
      else {
        try {
          call.reply(status, { message: describe(err) });
        } catch {
          call.destroy();
        }
      }
    }
    // Paths only: query strings may carry registry credentials (X-Registry-Auth is a header,
    // but `auth`-like parameters exist in some clients).
    ctx.log.debug('request', { method: call.method, path: call.path, status, ms: Date.now() - started });
  }

  async function close(graceMs = 3_000): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Streams (events) end on ctx.shutdown and leave their connections idle (keep-alive):
    // keep closing idle connections until none is left. Hijacked sockets belong to their
    // handlers, who also watch ctx.shutdown; whatever is left after the grace period is cut.
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    const timer = setTimeout(() => { for (const s of sockets) s.destroy(); }, graceMs);
    await closed;
    clearInterval(sweep);
    clearTimeout(timer);
  }

  return { http: server, close };
}
