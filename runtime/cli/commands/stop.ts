// slipway stop: Stop one or more running containers (docker stop).
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { forEach, needArgs } from './container-io';

export const stopCommand: Command = {
  name: 'stop',
  summary: 'Stop one or more running containers',
  usage: [
    'Usage:  slipway stop [OPTIONS] CONTAINER [CONTAINER...]',
    '',
    'Stop one or more running containers',
    '',
    'Options:',
    '  -s, --signal string   Signal to send to the container',
    '  -t, --time int        Seconds to wait before killing the container',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, options: { signal: { type: 'string', short: 's' }, time: { type: 'string', short: 't' } }, strict: true, allowPositionals: true });
    needArgs('stop', positionals, 1, 'CONTAINER [CONTAINER...]');
    return withClient(ctx, (api) => forEach(ctx, positionals, async (ref) => {
      await api.post(`/containers/${encodeURIComponent(ref)}/stop`, undefined, { query: { t: values.time, signal: values.signal }, timeoutMs: 0 });
      return ref;
    }));
  },
};
