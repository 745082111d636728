// The shape of one `slipway` sub-command. One file per command under commands/, one
// registration table in commands/index.ts.
import type { Writable } from 'node:stream';

export interface CliContext {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Command {
  name: string;
  /** One line for `slipway --help`. */
  summary: string;
  /** Usage text for `slipway NAME --help`. */
  usage: string;
  /**
   * Arguments from the first positional on belong to something else (run's IMAGE COMMAND,
   * exec's CONTAINER COMMAND): `--help`/`-h` there is not the command's own.
   */
  helpBeforePositionalOnly?: boolean;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[], ctx: CliContext): Promise<number>;
}
