// dist/cli.js: a CommonJS stub that loads the CLI proper, an ES module split per command
// (dist/cli/main.mjs and its chunks, see scripts/build.mjs). dist/cli.js stays the path that
// bin/slipway, tests and scripts run; the split lets `slipway run` skip the other commands' code.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import(pathToFileURL(path.join(__dirname, 'cli', 'main.mjs')).href).catch((err: unknown) => {
  process.stderr.write(`slipway: cannot load ${path.join(__dirname, 'cli', 'main.mjs')}: ${String(err)}\n`);
  process.exitCode = 1;
});
