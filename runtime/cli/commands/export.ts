// slipway export [-o FILE] CONTAINER: the container's filesystem as a tar.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { CliError, withClient } from '../api';
import type { Command } from '../command';
import { idPath } from '../../client/paths';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export a container\'s filesystem as a tar archive',
  usage: 'Usage:  slipway export [OPTIONS] CONTAINER\n\nOptions:\n  -o, --output string   Write to a file, instead of STDOUT',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { output: { type: 'string', short: 'o' } } });
    if (positionals.length !== 1) throw new CliError('"slipway export" requires exactly 1 argument: CONTAINER');
    if (!values.output && (ctx.stdout as { isTTY?: boolean }).isTTY) throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect');
    await withClient(ctx, async (api) => {
      const res = await api.request('GET', `/containers/${idPath(positionals[0])}/export`, { timeoutMs: 0 });
      await pipeline(res, values.output ? fs.createWriteStream(path.resolve(ctx.cwd, values.output)) : ctx.stdout);
    });
    return 0;
  },
};
