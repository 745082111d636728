// Entry point of the runtime service process (bundle dist/service.js).
// Paths come from SLIPWAY_ROOT / SLIPWAY_SOCKET or the defaults in runtime/paths.ts;
// SLIPWAY_LOG_LEVEL=debug logs every request.
import { enableCompileCache } from '../compile-cache';
import { describe } from '../errors';
import { defaultSocketPath, defaultStateRoot } from '../paths';
import type { Level } from './log';
import { closeInheritedFds } from './inherited-fds';
import { hasRootPrivileges, privilegesMessage } from './privileges';
import { startService } from './start';

// First: the modules loaded from here on (koffi's JavaScript) go through V8's code cache on Node >= 22.1.
enableCompileCache(process.env);
// Before anything else opens a descriptor: what the parent left us must not reach our children.
const inheritedFds = closeInheritedFds();

async function main(): Promise<number> {
  if (!hasRootPrivileges()) {
    process.stderr.write(privilegesMessage('the slipway service') + '\n');
    return 1;
  }
  const level = (['debug', 'info', 'warn', 'error'] as const).find((l) => l === process.env.SLIPWAY_LOG_LEVEL) as Level | undefined;
  let service;
  try {
    service = await startService({
      stateRoot: defaultStateRoot(),
      socketPath: defaultSocketPath(),
      stderr: process.stderr,
      level,
    });
  } catch (err) {
    process.stderr.write(`slipway service: ${describe(err)}\n`);
    return 1;
  }
  const { ctx } = service;
  if (inheritedFds.length > 0) ctx.log.debug('closed inherited descriptors', { fds: inheritedFds });
  // A server must outlive one bad request: log what escaped, keep serving.
  process.on('uncaughtException', (err) => ctx.log.error('uncaught exception', { err }));
  process.on('unhandledRejection', (err) => ctx.log.error('unhandled rejection', { err }));
  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals > 1) {
        ctx.log.warn('second signal: exiting now', { signal });
        resolve(130);
        return;
      }
      ctx.log.info('signal received', { signal });
      service.stop().then(() => resolve(0), (err) => {
        ctx.log.error('shutdown failed', { err });
        resolve(1);
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    process.on('SIGHUP', () => ctx.log.info('SIGHUP ignored'));
  });
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(`slipway service: ${describe(err)}\n`);
  process.exit(1);
});
