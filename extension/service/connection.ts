// The extension's connection to the runtime service, without `vscode` (unit-tested against a
// fake service on a Unix socket). No polling: it finds or starts the service, reads /version,
// then holds GET /events open; when that stream ends or fails it reconnects with capped
// exponential backoff. Every state change and every event is delivered to listeners.
//
//   start ──► connecting ──ensure + /version ok──► connected ──/events ends──► unreachable
//                 ▲   └──────────── fails ──────────────────────────────────► unreachable
//                 └──────────────── backoff timer ◄─────────────────────────────┘
import { describe } from '../../runtime/errors';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './backoff';
import type { ServiceLocation } from './location';

/** GET /version, in Docker's shape (the fields the extension reads). */
export interface VersionBody {
  Version: string;
  ApiVersion: string;
  MinAPIVersion?: string;
  Os?: string;
  Arch?: string;
  KernelVersion?: string;
  [field: string]: unknown;
}

/** One event from GET /events (Docker's shape; kept loose so new event types pass through). */
export interface ServiceEvent {
  Type: string;
  Action: string;
  Actor?: { ID: string; Attributes?: Record<string, string> };
  time?: number;
  [field: string]: unknown;
}

/** What the connection needs from the service; extension/service/endpoint.ts implements it. */
export interface ServiceEndpoint {
  /** Finds the service at the location or starts it; resolves once it answers /_ping. */
  ensure(signal: AbortSignal): Promise<void>;
  version(signal: AbortSignal): Promise<VersionBody>;
  /** Holds GET /events open, calling onEvent per event; settles when the stream ends or fails. */
  events(onEvent: (event: ServiceEvent) => void, signal: AbortSignal): Promise<void>;
  /** Stops the running service (for restart); resolves when it is gone. */
  stop(signal: AbortSignal): Promise<void>;
}

export type ServiceState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'connected'; version: VersionBody; since: number }
  | { kind: 'unreachable'; error: string; attempt: number; retryInMs: number };

export type Unsubscribe = () => void;

export interface ConnectionOptions {
  backoff?: BackoffOptions;
  log?: (message: string) => void;
  random?: () => number;
}

export class ServiceConnection {
  private current: ServiceState = { kind: 'connecting', attempt: 0 };
  private attempt = 0;
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly stateListeners = new Set<(state: ServiceState) => void>();
  private readonly eventListeners = new Set<(event: ServiceEvent) => void>();

  constructor(
    private where: ServiceLocation,
    private endpoint: ServiceEndpoint,
    private readonly options: ConnectionOptions = {},
  ) {}

  get state(): ServiceState {
    return this.current;
  }

  get location(): ServiceLocation {
    return this.where;
  }

  /** Points the connection at another service (settings changed); listeners stay subscribed. */
  relocate(location: ServiceLocation, endpoint: ServiceEndpoint): void {
    const wasRunning = this.running;
    this.halt();
    this.where = location;
    this.endpoint = endpoint;
    if (wasRunning) this.start();
  }

  onDidChangeState(listener: (state: ServiceState) => void): Unsubscribe {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onEvent(listener: (event: ServiceEvent) => void): Unsubscribe {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Starts connecting (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    void this.connect();
  }

  /** Stops the running service, then finds or starts a fresh one. */
  async restart(): Promise<VersionBody> {
    this.halt();
    this.running = true;
    this.attempt = 0;
    this.set({ kind: 'connecting', attempt: 0 });
    const ac = new AbortController();
    this.abort = ac;
    await this.endpoint.stop(ac.signal);
    if (ac.signal.aborted) throw new Error('service restart was cancelled');
    void this.connect();
    return this.whenConnected();
  }

  /** Resolves with /version once connected; rejects after `timeoutMs` with the last error. */
  whenConnected(timeoutMs = 30_000): Promise<VersionBody> {
    const now = this.current;
    if (now.kind === 'connected') return Promise.resolve(now.version);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        const s = this.current;
        reject(new Error(`runtime service at ${this.where.socketPath} not reachable after ${timeoutMs} ms`
          + (s.kind === 'unreachable' ? `: ${s.error}` : '')));
      }, timeoutMs);
      const off = this.onDidChangeState((s) => {
        if (s.kind !== 'connected') return;
        clearTimeout(timer);
        off();
        resolve(s.version);
      });
    });
  }

  dispose(): void {
    this.halt();
    this.stateListeners.clear();
    this.eventListeners.clear();
  }

  private halt(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = undefined;
  }

  private set(state: ServiceState): void {
    this.current = state;
    for (const l of [...this.stateListeners]) {
      try { l(state); } catch (err) { this.options.log?.(`state listener failed: ${describe(err)}`); }
    }
  }

  private async connect(): Promise<void> {
    const ac = new AbortController();
    this.abort = ac;
    this.set({ kind: 'connecting', attempt: this.attempt });
    let error: unknown;
    try {
      await this.endpoint.ensure(ac.signal);
      const version = await this.endpoint.version(ac.signal);
      if (ac.signal.aborted) return;
      this.attempt = 0;
      this.set({ kind: 'connected', version, since: Date.now() });
      this.options.log?.(`connected to the runtime service ${version.Version} (API ${version.ApiVersion}) at ${this.where.socketPath}`);
      await this.endpoint.events((event) => this.deliver(event), ac.signal);
      error = new Error('the event stream ended');
    } catch (err) {
      error = err;
    }
    if (ac.signal.aborted || !this.running) return;
    this.scheduleRetry(describe(error));
  }

  private deliver(event: ServiceEvent): void {
    for (const l of [...this.eventListeners]) {
      try { l(event); } catch (err) { this.options.log?.(`event listener failed: ${describe(err)}`); }
    }
  }

  private scheduleRetry(error: string): void {
    const retryInMs = backoffDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random);
    this.set({ kind: 'unreachable', error, attempt: this.attempt, retryInMs });
    this.options.log?.(`runtime service at ${this.where.socketPath} unreachable (${error}); retrying in ${retryInMs} ms`);
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.running) void this.connect();
    }, retryInMs);
  }
}
