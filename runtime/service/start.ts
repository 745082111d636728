// Starting and stopping one service instance: lock the state dir, clear a stale socket,
// listen, and on stop undo all of it in reverse. main.ts adds the process concerns (signals,
// exit codes); tests can call startService directly.
import fs from 'node:fs';
import path from 'node:path';
import { PRODUCT_VERSION } from './api-version';
import { createContext, type Providers, type ServiceContext } from './context';
import { EventBus } from './events';
import { acquireLock } from './lock';
import { clearStaleSocket, listenUnix, removeSocket } from './listen';
import { createLogger, type Level } from './log';
import type { Route } from './router';
import { routes as defaultRoutes } from './routes/index';
import { createApiServer } from './server';
import { runSetups, setups as defaultSetups, type Setup } from './setup';

export interface StartOptions {
  stateRoot: string;
  socketPath: string;
  stderr?: NodeJS.WritableStream;
  level?: Level;
  routes?: readonly Route[];
  /** Start-up hooks; default: the table in setup.ts. */
  setups?: readonly Setup[];
  providers?: Partial<Providers>;
}

export interface RunningService {
  readonly ctx: ServiceContext;
  /** Graceful stop: no new connections, streams ended, socket and lock removed. Idempotent. */
  stop(): Promise<void>;
}

export async function startService(options: StartOptions): Promise<RunningService> {
  const { stateRoot, socketPath } = options;
  fs.mkdirSync(stateRoot, { recursive: true, mode: 0o711 });
  const log = createLogger({ file: path.join(stateRoot, 'service.log'), stderr: options.stderr, level: options.level });
  const lock = acquireLock(stateRoot, { socket: socketPath, version: PRODUCT_VERSION });
  if (lock.replaced) log.warn('replaced a stale lock', { pid: lock.replaced.pid });
  let undo: Array<() => void> = [() => lock.release()];
  try {
    if (await clearStaleSocket(socketPath)) log.warn('removed a stale socket', { socket: socketPath });
    const events = new EventBus();
    const { ctx, close } = createContext({ stateRoot, socketPath, events, log, providers: options.providers });
    const api = createApiServer(ctx, options.routes ?? defaultRoutes);
    await runSetups(ctx, options.setups ?? defaultSetups);
    await listenUnix(api.http, socketPath);
    const ino = fs.lstatSync(socketPath).ino;
    undo = [() => removeSocket(socketPath, ino), ...undo];
    log.info('listening', { socket: socketPath, stateRoot, pid: process.pid, version: PRODUCT_VERSION, node: process.version });
    let stopping: Promise<void> | undefined;
    return {
      ctx,
      stop() {
        stopping ??= (async () => {
          log.info('shutting down');
          const closed = api.close();
          await close(); // aborts ctx.shutdown: streams and hijacked connections end
          await closed;
          for (const fn of undo) fn();
          log.info('stopped');
        })();
        return stopping;
      },
    };
  } catch (err) {
    for (const fn of undo) fn();
    throw err;
  }
}
