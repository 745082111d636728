// slipway unpause: Unpause all processes within one or more containers (docker unpause).
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { forEach, needArgs } from './container-io';

export const unpauseCommand: Command = {
  name: 'unpause',
  summary: 'Unpause all processes within one or more containers',
  usage: [
    'Usage:  slipway unpause [OPTIONS] CONTAINER [CONTAINER...]',
    '',
    'Unpause all processes within one or more containers',

  ].join('\n'),
  async run(args, ctx) {
    const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
    needArgs('unpause', positionals, 1, 'CONTAINER [CONTAINER...]');
    return withClient(ctx, (api) => forEach(ctx, positionals, async (ref) => {
      await api.post(`/containers/${encodeURIComponent(ref)}/unpause`);
      return ref;
    }));
  },
};
