// slipway builder prune: forgets the build cache (cached steps) and removes the RUN
// --mount=type=cache directories, through the Engine API's POST /build/prune (what
// `docker builder prune` calls).
import { parseArgs } from 'node:util';
import { CliError, withClient } from '../api';
import type { Command } from '../command';
import { humanSize } from '../format';

const USAGE = [
  'Usage:  slipway builder COMMAND',
  '',
  'Manage builds',
  '',
  'Commands:',
  '  prune [-a] [-f]   Remove build cache (cached steps and RUN cache mounts)',
].join('\n');

export const builderCommand: Command = {
  name: 'builder',
  summary: 'Manage builds (builder prune)',
  usage: USAGE,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    if (sub !== 'prune') throw new CliError(sub ? `slipway builder: '${sub}' is not a builder command.\n${USAGE}` : USAGE);
    // -a and -f are docker's: everything unused is removed either way, and nothing asks first.
    parseArgs({ args: rest, options: { all: { type: 'boolean', short: 'a' }, force: { type: 'boolean', short: 'f' } }, strict: true });
    const r = await withClient(ctx, (api) => api.post<{ CachesDeleted: string[] | null; SpaceReclaimed: number }>('/build/prune'));
    const deleted = r.CachesDeleted ?? [];
    if (deleted.length) ctx.stdout.write(`Deleted build cache objects:\n${deleted.map((d) => `${d}\n`).join('')}\n`);
    ctx.stdout.write(`Total reclaimed space: ${humanSize(r.SpaceReclaimed)}\n`);
    return 0;
  },
};
