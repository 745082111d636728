// slipway top: the processes of a running container (ps output, as docker top).
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { needArgs } from './container-io';
import { table } from './table';

export const topCommand: Command = {
  name: 'top',
  summary: 'Display the running processes of a container',
  usage: 'Usage:  slipway top CONTAINER [ps OPTIONS]\n\nDisplay the running processes of a container',
  async run(args, ctx) {
    const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
    needArgs('top', positionals, 1, 'CONTAINER [ps OPTIONS]');
    const [ref, ...ps] = positionals;
    const top = await withClient(ctx, (api) => api.get<{ Titles: string[]; Processes: string[][] }>(`/containers/${encodeURIComponent(ref)}/top`, { query: { ps_args: ps.length ? ps.join(' ') : undefined } }));
    ctx.stdout.write(table(top.Titles, top.Processes));
    return 0;
  },
};
