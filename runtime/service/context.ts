// What every handler can reach: the state root, the event bus, the logger, and a registry of
// the service's heavier parts (containers, images, builder), each created on first use so an
// idle service stays small (see `lazy`).
import type { EventBus } from './events';
import type { Logger } from './log';

export interface ContainerCounts { total: number; running: number; paused: number; stopped: number }

/**
 * Facts that `/info` reports but other parts own. The defaults answer 0; a part replaces a
 * function from its setup (setup.ts), e.g. `ctx.providers.containerCounts = () => ...`.
 */
export interface Providers {
  containerCounts(): Promise<ContainerCounts>;
  imageCount(): Promise<number>;
}

export interface ServiceContext {
  readonly stateRoot: string;
  readonly socketPath: string;
  readonly events: EventBus;
  readonly log: Logger;
  /** Date.now() when the service started. */
  readonly startedAt: number;
  readonly providers: Providers;
  /** Aborted when the service begins shutting down: long streams end on it. */
  readonly shutdown: AbortSignal;
  /**
   * The part registered under `name`, created by `create` the first time any handler asks.
   * Concurrent first calls share one creation. A part with `close()` is closed at shutdown.
   */
  lazy<T>(name: string, create: () => Promise<T>): Promise<T>;
  /** Runs `fn` during graceful shutdown, after the listener is closed. */
  onShutdown(fn: () => Promise<void> | void): void;
}

export interface ContextOptions {
  stateRoot: string;
  socketPath: string;
  events: EventBus;
  log: Logger;
  providers?: Partial<Providers>;
}

/** A context plus the function that runs its shutdown hooks (for main.ts and tests). */
export function createContext(options: ContextOptions): { ctx: ServiceContext; close(): Promise<void> } {
  const controller = new AbortController();
  const parts = new Map<string, Promise<unknown>>();
  const hooks: Array<() => Promise<void> | void> = [];
  const providers: Providers = {
    containerCounts: async () => ({ total: 0, running: 0, paused: 0, stopped: 0 }),
    imageCount: async () => 0,
    ...options.providers,
  };
  const ctx: ServiceContext = {
    stateRoot: options.stateRoot,
    socketPath: options.socketPath,
    events: options.events,
    log: options.log,
    startedAt: Date.now(),
    providers,
    shutdown: controller.signal,
    lazy<T>(name: string, create: () => Promise<T>): Promise<T> {
      let part = parts.get(name) as Promise<T> | undefined;
      if (!part) {
        part = create();
        parts.set(name, part);
        // A failed creation is not cached: the next request tries again.
        part.catch(() => parts.delete(name));
      }
      return part;
    },
    onShutdown(fn) {
      hooks.push(fn);
    },
  };
  async function close(): Promise<void> {
    controller.abort();
    for (const fn of hooks.reverse()) {
      try {
        await fn();
      } catch (err) {
        options.log.error('shutdown hook failed', { err });
      }
    }
    for (const [name, part] of parts) {
      try {
        const value = await part;
        const closable = value as { close?: () => unknown };
        if (typeof closable?.close === 'function') await closable.close();
      } catch (err) {
        options.log.error('closing part failed', { part: name, err });
      }
    }
  }
  return { ctx, close };
}
