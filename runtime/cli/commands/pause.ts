// slipway pause: Pause all processes within one or more containers (docker pause).
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { forEach, needArgs } from './container-io';

export const pauseCommand: Command = {
  name: 'pause',
  summary: 'Pause all processes within one or more containers',
  usage: [
    'Usage:  slipway pause [OPTIONS] CONTAINER [CONTAINER...]',
    '',
    'Pause all processes within one or more containers',

  ].join('\n'),
  async run(args, ctx) {
    const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
    needArgs('pause', positionals, 1, 'CONTAINER [CONTAINER...]');
    return withClient(ctx, (api) => forEach(ctx, positionals, async (ref) => {
      await api.post(`/containers/${encodeURIComponent(ref)}/pause`);
      return ref;
    }));
  },
};
