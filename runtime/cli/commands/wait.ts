// slipway wait: Block until one or more containers stop, then print their exit codes (docker wait).
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { forEach, needArgs } from './container-io';

export const waitCommand: Command = {
  name: 'wait',
  summary: 'Block until one or more containers stop, then print their exit codes',
  usage: [
    'Usage:  slipway wait [OPTIONS] CONTAINER [CONTAINER...]',
    '',
    'Block until one or more containers stop, then print their exit codes',

  ].join('\n'),
  async run(args, ctx) {
    const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
    needArgs('wait', positionals, 1, 'CONTAINER [CONTAINER...]');
    return withClient(ctx, (api) => forEach(ctx, positionals, async (ref) => {
      const r = await api.post<{ StatusCode: number }>(`/containers/${encodeURIComponent(ref)}/wait`, undefined, { timeoutMs: 0 });
      return String(r.StatusCode);
    }));
  },
};
