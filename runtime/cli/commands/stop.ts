// slipway stop: Stop one or more running containers (docker stop). `restart` takes the same
// flags and differs only in the endpoint, so both come from one definition.
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { forEach, needArgs } from './container-io';

/** A command that POSTs /containers/{ref}/{name}?t=&signal= for each container named. */
export function signalThenWaitCommand(name: 'stop' | 'restart', summary: string): Command {
  return {
    name,
    summary,
    usage: [
      `Usage:  slipway ${name} [OPTIONS] CONTAINER [CONTAINER...]`,
      '',
      summary,
      '',
      'Options:',
      '  -s, --signal string   Signal to send to the container',
      '  -t, --time int        Seconds to wait before killing the container',
    ].join('\n'),
    async run(args, ctx) {
      const { values, positionals } = parseArgs({ args, options: { signal: { type: 'string', short: 's' }, time: { type: 'string', short: 't' } }, strict: true, allowPositionals: true });
      needArgs(name, positionals, 1, 'CONTAINER [CONTAINER...]');
      return withClient(ctx, (api) => forEach(ctx, positionals, async (ref) => {
        await api.post(`/containers/${encodeURIComponent(ref)}/${name}`, undefined, { query: { t: values.time, signal: values.signal }, timeoutMs: 0 });
        return ref;
      }));
    },
  };
}

export const stopCommand: Command = signalThenWaitCommand('stop', 'Stop one or more running containers');
