// slipway restart: Restart one or more containers (docker restart).
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { forEach, needArgs } from './container-io';

export const restartCommand: Command = {
  name: 'restart',
  summary: 'Restart one or more containers',
  usage: [
    'Usage:  slipway restart [OPTIONS] CONTAINER [CONTAINER...]',
    '',
    'Restart one or more containers',
    '',
    'Options:',
    '  -s, --signal string   Signal to send to the container',
    '  -t, --time int        Seconds to wait before killing the container',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, options: { signal: { type: 'string', short: 's' }, time: { type: 'string', short: 't' } }, strict: true, allowPositionals: true });
    needArgs('restart', positionals, 1, 'CONTAINER [CONTAINER...]');
    return withClient(ctx, (api) => forEach(ctx, positionals, async (ref) => {
      await api.post(`/containers/${encodeURIComponent(ref)}/restart`, undefined, { query: { t: values.time, signal: values.signal }, timeoutMs: 0 });
      return ref;
    }));
  },
};
