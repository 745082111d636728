// slipway system df [-v]: disk usage of images, containers, volumes and the build cache.
import { parseArgs } from 'node:util';
import { CliError, withClient } from '../api';
import type { Command } from '../command';
import { renderDf, renderDfVerbose, type Df } from './system-df';

export { renderDf };

export const systemCommand: Command = {
  name: 'system',
  summary: 'Manage Slipway (system df)',
  usage: 'Usage:  slipway system df [OPTIONS]\n\nShow Slipway disk usage\n\nOptions:\n  -v, --verbose   Show detailed information on space usage',
  async run(args, ctx) {
    if (args[0] !== 'df') throw new CliError('usage: slipway system df [-v]');
    const { values } = parseArgs({ args: args.slice(1), strict: true, options: { verbose: { type: 'boolean', short: 'v' } } });
    const df = await withClient(ctx, (api) => api.get<Df>('/system/df'));
    ctx.stdout.write(values.verbose ? renderDfVerbose(df) : renderDf(df));
    return 0;
  },
};
