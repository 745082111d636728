// slipway start: Start one or more stopped containers (docker start).
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { forEach, needArgs } from './container-io';

export const startCommand: Command = {
  name: 'start',
  summary: 'Start one or more stopped containers',
  usage: [
    'Usage:  slipway start [OPTIONS] CONTAINER [CONTAINER...]',
    '',
    'Start one or more stopped containers',

  ].join('\n'),
  async run(args, ctx) {
    const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
    needArgs('start', positionals, 1, 'CONTAINER [CONTAINER...]');
    return withClient(ctx, (api) => forEach(ctx, positionals, async (ref) => {
      await api.post(`/containers/${encodeURIComponent(ref)}/start`);
      return ref;
    }));
  },
};
