// slipway rm: Remove one or more containers (docker rm).
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { forEach, needArgs } from './container-io';

export const rmCommand: Command = {
  name: 'rm',
  summary: 'Remove one or more containers',
  usage: [
    'Usage:  slipway rm [OPTIONS] CONTAINER [CONTAINER...]',
    '',
    'Remove one or more containers',
    '',
    'Options:',
    '  -f, --force     Force the removal of a running container (uses SIGKILL)',
    '  -v, --volumes   Remove anonymous volumes associated with the container',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, options: { force: { type: 'boolean', short: 'f' }, volumes: { type: 'boolean', short: 'v' } }, strict: true, allowPositionals: true });
    needArgs('rm', positionals, 1, 'CONTAINER [CONTAINER...]');
    return withClient(ctx, (api) => forEach(ctx, positionals, async (ref) => {
      await api.request('DELETE', `/containers/${encodeURIComponent(ref)}`, { query: { force: values.force, v: values.volumes }, timeoutMs: 0 }).then((r) => r.resume());
      return ref;
    }));
  },
};
