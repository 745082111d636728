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
runCliLazy(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }, table)
  .then((code) => { process.exitCode = code; }, (err) => {
    process.stderr.write(`slipway: ${String(err)}\n`);
    process.exitCode = 1;
  });
