// The `slipway` command line: picks a command from the table, handles --help, and turns
// errors into docker-like messages and exit codes (1 for failures, 125 for bad usage, as
// the docker CLI does for flag errors).
import { isDaemonError } from '../client/daemon-error';
import { describe } from '../errors';
import { PRODUCT_VERSION } from '../service/api-version';
import type { CliContext, Command } from './command';

export const EXIT_USAGE = 125;

/**
 * How a failed command's error is printed: the service's answers as the docker CLI prints
 * them ("Error response from daemon: No such container: x"), local errors (bad flags, no
 * service) as they are.
 */
export function errorText(err: unknown): string {
  return isDaemonError(err) ? `Error response from daemon: ${describe(err)}` : describe(err);
}

export function mainUsage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 3;
  return [
    'Usage:  slipway [OPTIONS] COMMAND',
    '',
    'Build, run and inspect containers with Slipway\'s own runtime.',
    '',
    'Options:',
    '  -h, --help      Print usage',
    '  -v, --version   Print version information and quit',
    '',
    'Commands:',
    ...[...commands].sort((a, b) => a.name.localeCompare(b.name)).map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run \'slipway COMMAND --help\' for more information on a command.',
    'Environment: SLIPWAY_SOCKET (service socket), SLIPWAY_ROOT (state directory).',
  ].join('\n');
}

const isHelp = (a: string) => a === '--help' || a === '-h';

export async function runCli(argv: readonly string[], ctx: CliContext, commands: readonly Command[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || isHelp(first) || (first === 'help' && rest.length === 0)) {
    ctx.stdout.write(mainUsage(commands) + '\n');
    return 0;
  }
  if (first === '--version' || first === '-v') {
    ctx.stdout.write(`Slipway version ${PRODUCT_VERSION}\n`);
    return 0;
  }
  const name = first === 'help' ? rest[0] : first;
  const command = commands.find((c) => c.name === name);
  if (!command) {
    ctx.stderr.write(name.startsWith('-')
      ? `unknown flag: ${name}\nSee 'slipway --help'.\n`
      : `slipway: '${name}' is not a slipway command.\nSee 'slipway --help'\n`);
    return first.startsWith('-') ? EXIT_USAGE : 1;
  }
  // `--help` anywhere before a `--` asks for the command's usage.
  const args = first === 'help' ? ['--help'] : rest;
  const positional = command.helpBeforePositionalOnly ? args.findIndex((a) => !a.startsWith('-')) : -1;
  const end = positional >= 0 ? positional : args.indexOf('--');
  if ((end < 0 ? args : args.slice(0, end)).some(isHelp)) {
    ctx.stdout.write(command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(args, ctx);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      ctx.stderr.write(`slipway ${command.name}: ${(err as Error).message}\nSee 'slipway ${command.name} --help'.\n`);
      return EXIT_USAGE;
    }
    ctx.stderr.write(`${errorText(err)}\n`);
    return 1;
  }
}

/** A command known by name only; load() brings in its code (see commands/lazy.ts). */
export type LazyCommand = readonly [name: string, load: () => Promise<Command>];

/**
 * runCli over a lazy table: loads only the command named on the command line (one module,
 * not the whole CLI); `--version` loads none; the main usage, `help`, other flags and unknown
 * names load every command, as they need all the summaries.
 */
export async function runCliLazy(argv: readonly string[], ctx: CliContext, table: readonly LazyCommand[]): Promise<number> {
  const [first, ...rest] = argv;
  const name = first === 'help' ? rest[0] : first;
  if (first === '--version' || first === '-v') return runCli(argv, ctx, []);
  const entry = name === undefined || name.startsWith('-') ? undefined : table.find(([n]) => n === name);
  const commands = entry ? [await entry[1]()] : await Promise.all(table.map(([, load]) => load()));
  return runCli(argv, ctx, commands);
}
