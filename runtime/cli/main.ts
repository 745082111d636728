// Entry point of the `slipway` CLI (bundle dist/cli.js, run by bin/slipway).
import { commands } from './commands/index';
import { runCli } from './dispatch';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }, commands)
  .then((code) => { process.exitCode = code; }, (err) => {
    process.stderr.write(`slipway: ${String(err)}\n`);
    process.exitCode = 1;
  });
