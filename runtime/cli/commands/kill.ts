// slipway kill: Kill one or more running containers (docker kill).
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { forEach, needArgs } from './container-io';

export const killCommand: Command = {
  name: 'kill',
  summary: 'Kill one or more running containers',
  usage: [
    'Usage:  slipway kill [OPTIONS] CONTAINER [CONTAINER...]',
    '',
    'Kill one or more running containers',
    '',
    'Options:',
    '  -s, --signal string   Signal to send to the container (default KILL)',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, options: { signal: { type: 'string', short: 's' } }, strict: true, allowPositionals: true });
    needArgs('kill', positionals, 1, 'CONTAINER [CONTAINER...]');
    return withClient(ctx, (api) => forEach(ctx, positionals, async (ref) => {
      await api.post(`/containers/${encodeURIComponent(ref)}/kill`, undefined, { query: { signal: values.signal } });
      return ref;
    }));
  },
};
