// slipway logs: a container's output (docker logs: -f, --tail, --since, --until, -t),
// demultiplexed onto stdout and stderr.
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { copyOutput, needArgs } from './container-io';

export const logsCommand: Command = {
  name: 'logs',
  summary: 'Fetch the logs of a container',
  usage: [
    'Usage:  slipway logs [OPTIONS] CONTAINER',
    '',
    'Fetch the logs of a container',
    '',
    'Options:',
    '  -f, --follow         Follow log output',
    '      --since string   Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m")',
    '  -n, --tail string    Number of lines to show from the end of the logs (default "all")',
    '  -t, --timestamps     Show timestamps',
    '      --until string   Show logs before a timestamp or relative',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, strict: true, allowPositionals: true,
      options: { follow: { type: 'boolean', short: 'f' }, since: { type: 'string' }, tail: { type: 'string', short: 'n' }, timestamps: { type: 'boolean', short: 't' }, until: { type: 'string' } },
    });
    needArgs('logs', positionals, 1, 'CONTAINER');
    const ref = encodeURIComponent(positionals[0]);
    return withClient(ctx, async (api) => {
      const info = await api.get<{ Config: { Tty: boolean } }>(`/containers/${ref}/json`);
      const res = await api.request('GET', `/containers/${ref}/logs`, {
        query: { stdout: 1, stderr: 1, follow: values.follow, since: values.since, until: values.until, tail: values.tail, timestamps: values.timestamps }, timeoutMs: 0,
      });
      await copyOutput(res, ctx, info.Config.Tty);
      return 0;
    });
  },
};
