// One API request as a handler sees it, over either of Node's two ways in:
//
//   'request'  (req, res)          ordinary requests
//   'upgrade'  (req, socket, head) `Connection: Upgrade` requests — attach and exec start,
//                                  which Docker clients always send with `Upgrade: tcp`
//
// Both give the handler the same Call: reply JSON, stream newline-delimited JSON, or hijack
// the connection for raw bytes (101 UPGRADED on the upgrade path, moby's behaviour; a 200
// raw-stream on the plain path, where only the output side is usable because Node keeps
// parsing the input as HTTP).
import http from 'node:http';
import type { Socket } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { InvalidArgumentError } from '../errors';
import type { ServiceContext } from './context';
import { Query } from './query';
import type { Match } from './router';

export const MAX_JSON_BODY = 1 << 20;
export const RAW_STREAM = 'application/vnd.docker.raw-stream';

export interface NdjsonStream {
  /** Writes one value as a JSON line; false when the client is slow (back-pressure). */
  write(value: unknown): boolean;
  end(): void;
  /** Aborted when the client goes away or the service shuts down. */
  readonly signal: AbortSignal;
}

export interface Hijacked {
  /** Bytes from the client (stdin), after the request body. */
  input: Readable;
  /** Raw bytes to the client. */
  output: Writable;
  /** Ends the connection. */
  close(): void;
}

export interface Call {
  readonly ctx: ServiceContext;
  readonly method: string;
  /** The path without its `/vX.Y` prefix. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Query;
  readonly apiVersion: string;
  readonly headers: http.IncomingHttpHeaders;
  /** True when the client asked for `Connection: Upgrade`. */
  readonly upgrade: boolean;
  /** Aborted when the client goes away or the service shuts down. */
  readonly signal: AbortSignal;
  /** True once a reply, stream or hijack has begun. */
  readonly answered: boolean;
  /** The body as JSON (undefined when empty). Malformed, truncated or oversized → 400. */
  json<T = unknown>(): Promise<T | undefined>;
  /** The raw body (build contexts, image archives). */
  body(): Readable;
  reply(status: number, value?: unknown, headers?: http.OutgoingHttpHeaders): void;
  send(status: number, body: string | Buffer, headers?: http.OutgoingHttpHeaders): void;
  stream(contentType?: string): NdjsonStream;
  /**
   * A 200 whose body is raw bytes sent in chunks (Transfer-Encoding: chunked), for tars whose
   * size is not known in advance. Unlike hijack()'s body, which ends with the connection, a
   * failure mid-body (the server destroys the call) leaves the last chunk unsent, so clients
   * see a cut-short body and fail instead of keeping a truncated tar.
   */
  rawBody(contentType: string, headers?: http.OutgoingHttpHeaders): Writable;
  hijack(): Promise<Hijacked>;
}

/** Docker sends these on every response (moby api/server/middleware/version.go). */
export function commonHeaders(apiVersion: string, serverVersion: string): http.OutgoingHttpHeaders {
  return {
    'Api-Version': apiVersion,
    'Docker-Experimental': 'false',
    'Ostype': 'linux',
    'Server': `Slipway/${serverVersion} (linux)`,
  };
}

abstract class BaseCall implements Call {
  method: string;
  path: string;
  params: Record<string, string> = {};
  query: Query;
  apiVersion: string;
  answered = false;
  protected readonly abort = new AbortController();
  private bodyPromise?: Promise<Buffer>;

  constructor(readonly ctx: ServiceContext, readonly req: http.IncomingMessage, readonly upgrade: boolean, protected base: http.OutgoingHttpHeaders) {
    this.method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.path = q < 0 ? url : url.slice(0, q);
    this.query = Query.parse(q < 0 ? '' : url.slice(q + 1));
    this.apiVersion = String(base['Api-Version']);
    const onShutdown = () => this.abort.abort();
    ctx.shutdown.addEventListener('abort', onShutdown, { once: true });
    this.abort.signal.addEventListener('abort', () => ctx.shutdown.removeEventListener('abort', onShutdown), { once: true });
  }

  get headers() { return this.req.headers; }
  get signal() { return this.abort.signal; }

  bind(match: Match): void {
    this.params = match.params;
    this.apiVersion = match.apiVersion;
    this.path = match.path;
    this.base = { ...this.base, 'Api-Version': match.apiVersion };
  }

  json<T>(): Promise<T | undefined> {
    return this.bodyBuffer().then((buf) => {
      const text = buf.toString('utf8');
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as T;
      } catch (cause) {
        throw new InvalidArgumentError(`invalid JSON: ${(cause as Error).message}`, { cause });
      }
    });
  }

  protected bodyBuffer(): Promise<Buffer> {
    this.bodyPromise ??= this.readBody(MAX_JSON_BODY);
    return this.bodyPromise;
  }

  reply(status: number, value?: unknown, headers: http.OutgoingHttpHeaders = {}): void {
    if (value === undefined) return this.send(status, '', headers);
    this.send(status, JSON.stringify(value) + '\n', { 'Content-Type': 'application/json', ...headers });
  }

  protected begin(what: string): void {
    if (this.answered) throw new Error(`${what}: the request was already answered`);
    this.answered = true;
  }

  abstract body(): Readable;
  abstract send(status: number, body: string | Buffer, headers?: http.OutgoingHttpHeaders): void;
  abstract stream(contentType?: string): NdjsonStream;
  abstract rawBody(contentType: string, headers?: http.OutgoingHttpHeaders): Writable;
  abstract hijack(): Promise<Hijacked>;
  protected abstract readBody(limit: number): Promise<Buffer>;
  /** Drops the connection after a failure mid-answer. */
  abstract destroy(): void;
}

/** A request that came through 'request', answered through its ServerResponse. */
export class HttpCall extends BaseCall {
  constructor(ctx: ServiceContext, req: http.IncomingMessage, private readonly res: http.ServerResponse, base: http.OutgoingHttpHeaders) {
    super(ctx, req, false, base);
    res.on('close', () => { if (!res.writableFinished) this.abort.abort(); });
  }

  body(): Readable { return this.req; }

  protected readBody(limit: number): Promise<Buffer> {
    return collect(this.req, limit);
  }

  send(status: number, body: string | Buffer, headers: http.OutgoingHttpHeaders = {}): void {
    this.begin('reply');
    if (this.res.destroyed) return;
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    this.res.writeHead(status, { ...this.base, ...headers, 'Content-Length': buf.length });
    this.res.end(buf);
  }

  stream(contentType = 'application/json'): NdjsonStream {
    this.begin('stream');
    this.res.writeHead(200, { ...this.base, 'Content-Type': contentType });
    this.res.flushHeaders();
    const res = this.res;
    return {
      write: (value) => !res.writableEnded && res.write(JSON.stringify(value) + '\n'),
      end: () => { if (!res.writableEnded) res.end(); },
      signal: this.signal,
    };
  }

  rawBody(contentType: string, headers: http.OutgoingHttpHeaders = {}): Writable {
    this.begin('raw body');
    this.res.writeHead(200, { ...this.base, ...headers, 'Content-Type': contentType }); // no length: Node chunks it
    this.res.flushHeaders();
    return this.res;
  }

  async hijack(): Promise<Hijacked> {
    this.begin('hijack');
    // Without an upgrade the response is a raw body that ends with the connection.
    const res = this.res as http.ServerResponse & { useChunkedEncodingByDefault: boolean };
    res.useChunkedEncodingByDefault = false;
    res.shouldKeepAlive = false;
    res.writeHead(200, { ...this.base, 'Content-Type': RAW_STREAM, Connection: 'close' });
    res.flushHeaders();
    return { input: this.req, output: res, close: () => res.end() };
  }

  destroy(): void { this.res.destroy(); }
}

/** A `Connection: Upgrade` request: the socket is ours, every byte is written by hand. */
export class UpgradeCall extends BaseCall {
  constructor(ctx: ServiceContext, req: http.IncomingMessage, private readonly socket: Socket, private head: Buffer, base: http.OutgoingHttpHeaders) {
    super(ctx, req, true, base);
    socket.on('close', () => this.abort.abort());
    socket.on('error', () => this.abort.abort());
  }

  body(): Readable {
    const buffered = this.bodyBuffer();
    return Readable.from((async function* () { yield await buffered; })());
  }

  protected readBody(limit: number): Promise<Buffer> {
    if (this.req.headers['transfer-encoding']) {
      return Promise.reject(new InvalidArgumentError('chunked request bodies are not supported on upgraded connections; send Content-Length'));
    }
    const length = Number(this.req.headers['content-length'] ?? 0);
    if (!Number.isSafeInteger(length) || length < 0) return Promise.reject(new InvalidArgumentError(`invalid Content-Length: ${this.req.headers['content-length']}`));
    if (length > limit) return Promise.reject(new InvalidArgumentError(`request body too large: ${length} bytes, the limit is ${limit}`));
    const head = this.head;
    this.head = Buffer.alloc(0);
    return readExact(this.socket, head, length);
  }

  send(status: number, body: string | Buffer, headers: http.OutgoingHttpHeaders = {}): void {
    this.begin('reply');
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    this.socket.end(Buffer.concat([statusLines(status, { ...this.base, ...headers, 'Content-Length': buf.length, Connection: 'close' }), buf]));
  }

  stream(contentType = 'application/json'): NdjsonStream {
    this.begin('stream');
    const socket = this.socket;
    socket.write(statusLines(200, { ...this.base, 'Content-Type': contentType, Connection: 'close' }));
    return {
      write: (value) => !socket.writableEnded && socket.write(JSON.stringify(value) + '\n'),
      end: () => { if (!socket.writableEnded) socket.end(); },
      signal: this.signal,
    };
  }

  rawBody(contentType: string, headers: http.OutgoingHttpHeaders = {}): Writable {
    this.begin('raw body');
    const socket = this.socket;
    socket.write(statusLines(200, { ...this.base, ...headers, 'Content-Type': contentType, 'Transfer-Encoding': 'chunked', Connection: 'close' }));
    // The socket is ours here: frame the chunks by hand (RFC 9112 §7.1).
    return new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (chunk.length === 0) return cb();
        socket.write(`${chunk.length.toString(16)}\r\n`);
        socket.write(chunk);
        socket.write('\r\n', cb);
      },
      final(cb) { socket.end('0\r\n\r\n', cb); },
      destroy(err, cb) { if (err) socket.destroy(); cb(err); },
    });
  }

  async hijack(): Promise<Hijacked> {
    // The request body (exec start's JSON) comes first on the wire: consume it before
    // handing the rest of the stream over as stdin.
    await this.bodyBuffer();
    this.begin('hijack');
    const socket = this.socket;
    socket.write(statusLines(101, { 'Content-Type': RAW_STREAM, Connection: 'Upgrade', Upgrade: 'tcp', ...this.base }, 'UPGRADED'));
    if (this.head.length > 0) socket.unshift(this.head);
    this.head = Buffer.alloc(0);
    return { input: socket, output: socket, close: () => socket.end() };
  }

  destroy(): void { this.socket.destroy(); }
}

function statusLines(status: number, headers: http.OutgoingHttpHeaders, reason = http.STATUS_CODES[status] ?? 'Unknown'): Buffer {
  const lines = [`HTTP/1.1 ${status} ${reason}`, `Date: ${new Date().toUTCString()}`];
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) lines.push(`${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n');
}

/** Reads a whole body, failing with 400 when it is cut short or exceeds `limit`. */
function collect(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (err: Error) => { if (!done) { done = true; reject(err); } };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        fail(new InvalidArgumentError(`request body too large: more than ${limit} bytes`));
        stream.pause();
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => { if (!done) { done = true; resolve(Buffer.concat(chunks)); } });
    stream.on('aborted', () => fail(truncated()));
    stream.on('error', () => fail(truncated()));
    stream.on('close', () => fail(truncated()));
  });
}

function truncated(): InvalidArgumentError {
  return new InvalidArgumentError('request body truncated: the client closed the connection before sending all of it');
}

/** Exactly `length` bytes from `head` then `socket`; any surplus is put back on the socket. */
function readExact(socket: Socket, head: Buffer, length: number): Promise<Buffer> {
  if (head.length >= length) {
    if (head.length > length) socket.unshift(head.subarray(length));
    return Promise.resolve(head.subarray(0, length));
  }
  return new Promise((resolve, reject) => {
    const chunks = [head];
    let size = head.length;
    const cleanup = () => { socket.off('data', onData); socket.off('end', onEnd); socket.off('close', onEnd); };
    const onEnd = () => { cleanup(); reject(truncated()); };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size < length) return;
      cleanup();
      socket.pause();
      const all = Buffer.concat(chunks);
      if (all.length > length) socket.unshift(all.subarray(length));
      resolve(all.subarray(0, length));
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.resume();
  });
}
