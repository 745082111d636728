// Entry point of the `slipway` CLI (bundle dist/cli.js, run by bin/slipway). It loads only the
// command it runs (commands/lazy.ts): Node's start-up plus the bundle's load is most of a
// `slipway run`, so the entry stays small.
import { lazyCommands } from './commands/lazy';
import { runCliLazy } from './dispatch';
import { enableCompileCache } from '../compile-cache';

enableCompileCache(process.env);
runCliLazy(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }, lazyCommands)
  .then((code) => { process.exitCode = code; }, (err) => {
    process.stderr.write(`slipway: ${String(err)}\n`);
    process.exitCode = 1;
  });
