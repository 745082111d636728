// A small client of the service's Docker Engine API over its Unix socket. Used by the CLI and
// bundled into the extension (so: no vscode, no heavy dependencies). Failed requests become
// the runtime's own errors, carrying the server's message and status, so a 404 from the
// service is a NotFoundError here too.
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { ConflictError, InvalidArgumentError, NotFoundError, SlipwayError, type HttpStatus } from '../errors';
import { markDaemonError } from './daemon-error';
import { API_VERSION } from '../service/api-version';

/** The service does not answer on its socket (not started, or gone). */
export class ServiceUnavailableError extends SlipwayError {
  constructor(readonly socketPath: string, options: { cause?: unknown } = {}) {
    super(`the slipway service is not running (no answer on ${socketPath})`, { ...options, status: 503 });
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | object>;
  /** JSON-encoded unless it is a Buffer, a string or a stream. */
  body?: unknown;
  headers?: http.OutgoingHttpHeaders;
  signal?: AbortSignal;
  /** Milliseconds until the response headers must arrive; 0 = none (streams). */
  timeoutMs?: number;
}

export interface ClientOptions {
  socketPath: string;
  /** API version to prefix paths with; defaults to the service's own. */
  apiVersion?: string;
  timeoutMs?: number;
  /**
   * Called (once per client) when the socket is missing or refuses the connection, so nothing
   * was sent; the request is then sent again. Lets a caller start the service on demand
   * instead of asking /_ping before every command (one round trip less).
   */
  onUnavailable?: () => Promise<void>;
}

export class ApiClient {
  readonly socketPath: string;
  readonly apiVersion: string;
  private readonly timeoutMs: number;
  // One keep-alive agent per client: the CLI makes a few calls, the extension many.
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  private readonly onUnavailable: (() => Promise<void>) | undefined;
  private made: Promise<void> | undefined;

  constructor(options: ClientOptions) {
    this.socketPath = options.socketPath;
    this.apiVersion = options.apiVersion ?? API_VERSION;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.onUnavailable = options.onUnavailable;
  }

  /** `send` again after onUnavailable when the service was not there (a stream body cannot be sent twice). */
  private async retrying<T>(body: unknown, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      if (!(err instanceof ServiceUnavailableError) || !this.onUnavailable || isStream(body)) throw err;
      this.made ??= this.onUnavailable();
      await this.made;
      return send();
    }
  }

  /** Sends a request; resolves with the response for any 2xx status, throws otherwise. */
  request(method: string, path: string, options: RequestOptions = {}): Promise<http.IncomingMessage> {
    return this.retrying(options.body, () => this.send(method, path, options));
  }

  private send(method: string, path: string, options: RequestOptions): Promise<http.IncomingMessage> {
    const { body, headers } = encodeBody(options.body);
    const requestOptions: http.RequestOptions & { servername: string } = {
      socketPath: this.socketPath,
      agent: this.agent,
      // No TLS name to derive: without this the agent tests the Host header with net.isIP,
      // whose first call compiles Node's IPv6 pattern (~8 ms of a CLI call on Node 20).
      servername: '',
      method,
      path: buildPath(this.apiVersion, path, options.query),
      headers: { Host: 'slipway', ...headers, ...options.headers },
      signal: options.signal,
    };
    return new Promise((resolve, reject) => {
      const req = http.request(requestOptions, (res) => {
        req.setTimeout(0);
        const status = res.statusCode ?? 500;
        if (status >= 200 && status < 300) return resolve(res);
        readAll(res).then((text) => reject(errorFromResponse(status, text, method, path)), reject);
      });
      const timeout = options.timeoutMs ?? this.timeoutMs;
      if (timeout > 0) req.setTimeout(timeout, () => req.destroy(new SlipwayError(`${method} ${path}: no answer from the slipway service within ${timeout} ms`, { status: 503 })));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') reject(new ServiceUnavailableError(this.socketPath, { cause: err }));
        else reject(err);
      });
      if (isStream(body)) body.pipe(req);
      else req.end(body as Buffer | string | undefined);
    });
  }

  /** A request whose answer is JSON (or empty: undefined). */
  async json<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<T> {
    const res = await this.request(method, path, options);
    const text = await readAll(res);
    if (text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new SlipwayError(`${method} ${path}: the service sent invalid JSON`, { cause });
    }
  }

  get<T = unknown>(path: string, options?: RequestOptions): Promise<T> {
    return this.json<T>('GET', path, options);
  }

  post<T = unknown>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.json<T>('POST', path, { ...options, body });
  }

  /**
   * A newline-delimited JSON stream (events, pull and build progress), one value per line.
   * It ends when the server ends it or when `options.signal` aborts.
   */
  async *stream<T = unknown>(method: string, path: string, options: RequestOptions = {}): AsyncGenerator<T> {
    const res = await this.request(method, path, { timeoutMs: 0, ...options });
    try {
      yield* ndjson<T>(res);
    } catch (err) {
      // Aborting through `signal` is how a caller stops a stream: end it quietly.
      if (options.signal?.aborted) return;
      throw err;
    }
  }

  /**
   * Opens a raw, two-way stream the way Docker clients attach and exec: the request carries
   * `Connection: Upgrade` + `Upgrade: tcp`, the service answers 101 and the socket then
   * carries raw bytes (stdin out, output in). An error status is thrown like any request's.
   */
  hijack(method: string, path: string, options: Omit<RequestOptions, 'timeoutMs'> = {}): Promise<Socket> {
    return this.retrying(options.body, () => this.upgrade(method, path, options));
  }

  private upgrade(method: string, path: string, options: Omit<RequestOptions, 'timeoutMs'>): Promise<Socket> {
    const { body, headers } = encodeBody(options.body);
    return new Promise((resolve, reject) => {
      const requestOptions: http.RequestOptions & { servername: string } = {
        socketPath: this.socketPath,
        agent: false, // the socket leaves HTTP for good: never a pooled one
        servername: '', // as in send(): agent: false is a fresh Agent, which would derive one
        method,
        path: buildPath(this.apiVersion, path, options.query),
        headers: { Host: 'slipway', ...headers, ...options.headers, Connection: 'Upgrade', Upgrade: 'tcp' },
        signal: options.signal,
      };
      const req = http.request(requestOptions);
      req.on('upgrade', (_res, socket: Socket, head: Buffer) => {
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 500;
        readAll(res).then((text) => reject(status >= 200 && status < 300
          ? new SlipwayError(`${method} ${path}: the service did not upgrade the connection (status ${status})`)
          : errorFromResponse(status, text, method, path)), reject);
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') reject(new ServiceUnavailableError(this.socketPath, { cause: err }));
        else reject(err);
      });
      req.end(body as Buffer | string | undefined);
    });
  }

  /** True when the service answers /_ping. */
  async ping(timeoutMs = 1_000): Promise<boolean> {
    try {
      const res = await this.request('GET', '/_ping', { timeoutMs });
      await readAll(res);
      return true;
    } catch {
      return false;
    }
  }

  /** Closes idle keep-alive connections (lets a CLI process exit at once). */
  close(): void {
    this.agent.destroy();
  }
}

/** "/v1.45/containers/json?all=1"; object values (filters) are JSON-encoded as Docker expects. */
export function buildPath(apiVersion: string, path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined) continue;
    params.set(k, typeof v === 'object' ? JSON.stringify(v) : typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  const search = params.toString();
  return `/v${apiVersion}${path}${search ? `?${search}` : ''}`;
}

/** The runtime error for a non-2xx answer, with the server's `message`, marked as the service's (daemon-error.ts). */
export function errorFromResponse(status: number, text: string, method: string, path: string): SlipwayError {
  return markDaemonError(errorOfStatus(status, text, method, path));
}

function errorOfStatus(status: number, text: string, method: string, path: string): SlipwayError {
  let message = text.trim();
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: keep the text
  }
  if (message === '') message = `${method} ${path} failed with status ${status}`;
  switch (status) {
    case 400: return new InvalidArgumentError(message);
    case 404: return new NotFoundError(message);
    case 409: return new ConflictError(message);
    default: return new SlipwayError(message, { status: (status >= 400 && status < 600 ? status : 500) as HttpStatus });
  }
}

const isStream = (body: unknown): body is Readable => !!body && typeof (body as Readable).pipe === 'function';

function encodeBody(body: unknown): { body?: unknown; headers: http.OutgoingHttpHeaders } {
  if (body === undefined) return { headers: {} };
  if (typeof body === 'string' || Buffer.isBuffer(body)) return { body, headers: { 'Content-Length': Buffer.byteLength(body) } };
  if (isStream(body)) return { body, headers: {} };
  const text = JSON.stringify(body);
  return { body: text, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) } };
}

export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses newline-delimited JSON from a byte stream; a bad line is an error naming it. */
export async function* ndjson<T = unknown>(stream: AsyncIterable<Buffer | string>): AsyncGenerator<T> {
  let rest = '';
  for await (const chunk of stream) {
    rest += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl).trim();
      rest = rest.slice(nl + 1);
      if (line) yield parseLine<T>(line);
    }
  }
  if (rest.trim()) yield parseLine<T>(rest.trim());
}

function parseLine<T>(line: string): T {
  try {
    return JSON.parse(line) as T;
  } catch (cause) {
    throw new SlipwayError(`invalid JSON line in stream: ${line.slice(0, 80)}`, { cause });
  }
}
