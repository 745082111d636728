// Entry point of the `slipway` CLI (bundle dist/cli.js, run by bin/slipway). It loads only the
// command it runs (commands/lazy.ts: dist/cli/NAME.js from the bundle, commands/NAME.ts from the
// sources): Node's start-up plus the bundle's load is most of a `slipway run`, so the entry stays small.
import path from 'node:path';
import { enableCompileCache } from '../compile-cache';
import { lazyCommands } from './commands/lazy';
import { restoreDeferredEnv } from './deferred-env';
import { runCliLazy } from './dispatch';

restoreDeferredEnv(process.env);
enableCompileCache(process.env);
const fromSources = __filename.endsWith('.ts');
const table = lazyCommands(path.join(__dirname, fromSources ? 'commands' : 'cli'));
// process.stdout and stderr are lazy getters that build a stream (a few ms on Node 20): a
// `run --rm IMG true` that prints nothing never needs them.
const used = new Set<NodeJS.WriteStream>();
const ctx = {
  get stdout() { used.add(process.stdout); return process.stdout; },
  get stderr() { used.add(process.stderr); return process.stderr; },
  env: process.env, cwd: process.cwd(),
};
runCliLazy(process.argv.slice(2), ctx, table)
  .then((code) => code, (err) => {
    ctx.stderr.write(`slipway: ${String(err)}\n`);
    return 1;
  })
  .then(exitWhenWritten);

/**
 * Exits once the command is done rather than letting Node wind down by itself (closing the
 * API sockets, emptying the loop: ~5 ms of every command). Writes to a file or a terminal are
 * synchronous; to a pipe they are not once its buffer is full (a slow reader of `save | …`):
 * those are waited for.
 */
async function exitWhenWritten(code: number): Promise<void> {
  for (const stream of used) {
    if (stream.writableLength > 0) await new Promise((resolve) => { stream.once('drain', resolve); stream.once('error', resolve); });
  }
  process.exit(code);
}
