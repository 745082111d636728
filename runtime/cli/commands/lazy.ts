// The CLI's lazy registration table: each command's module is loaded only when that command
// runs, so `slipway run` does not parse the lint engine, the builder or the registry client.
// In dist/, every command is its own CommonJS bundle dist/cli/NAME.js (scripts/build.mjs reads the
// names below); from the sources (tsx) it is commands/NAME.ts. Keep the names in step with the
// eager table in index.ts (same names, same order; test/unit/cli/lazy.test.ts checks it).
import path from 'node:path';
import type { Command } from '../command';
import type { LazyCommand } from '../dispatch';
import { SlipwayError } from '../../errors';

// One name a line: scripts/build.mjs matches these lines.
export const commandNames: readonly string[] = [
  'version',
  'info',
  'service',
  'lint',
  'pull',
  'push',
  'login',
  'logout',
  'build',
  'builder',
  'images',
  'image',
  'tag',
  'rmi',
  'import',
  'save',
  'load',
  'history',
  'layers',
  'system',
  'commit',
  'diff',
  'export',
  'run',
  'create',
  'start',
  'stop',
  'restart',
  'kill',
  'rm',
  'ps',
  'exec',
  'logs',
  'inspect',
  'top',
  'stats',
  'wait',
  'pause',
  'unpause',
  'attach',
  'volume',
  'port',
  'cp',
  'rename',
  'update',
];

/** The table over the modules in `dir`: NAME's module exports `NAMECommand`. */
export function lazyCommands(dir: string): LazyCommand[] {
  return commandNames.map((name) => [name, async (): Promise<Command> => {
    const file = path.join(dir, name);
    // A computed require: esbuild leaves it to run time, so the CLI bundle holds no command.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const command = (require(file) as Record<string, Command | undefined>)[`${name}Command`];
    if (!command) throw new SlipwayError(`slipway: ${file} exports no ${name}Command`);
    return command;
  }]);
}
