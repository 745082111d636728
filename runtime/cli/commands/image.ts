// slipway image ls|rm|inspect|prune|history: the `docker image` group.
import { parseArgs } from 'node:util';
import { CliError, withClient } from '../api';
import type { Command } from '../command';
import { humanSize } from '../format';
import { showHistory } from './history';
import { runInspect } from './inspect';
import { listImages } from './images';
import { removeImages } from './rmi';

export const imageCommand: Command = {
  name: 'image',
  summary: 'Manage images (ls, rm, inspect, prune, history)',
  usage: 'Usage:  slipway image COMMAND\n\nCommands:\n  history   Show the history of an image\n  inspect   Display detailed information on one or more images (-f/--format)\n  ls        List images\n  prune     Remove unused images\n  rm        Remove one or more images',
  async run(args, ctx) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'ls': case 'list': return listImages(rest, ctx);
      case 'rm': case 'remove': return removeImages(rest, ctx);
      case 'history': return showHistory(rest, ctx);
      case 'inspect': return runInspect(rest, ctx, 'image');
      case 'prune': {
        const { values } = parseArgs({ args: rest, strict: true, options: { all: { type: 'boolean', short: 'a' }, force: { type: 'boolean', short: 'f' } } });
        const r = await withClient(ctx, (api) => api.post<{ ImagesDeleted: Array<{ Untagged?: string; Deleted?: string }>; SpaceReclaimed: number }>('/images/prune', undefined, { query: { filters: { dangling: [values.all ? 'false' : 'true'] } } }));
        if (r.ImagesDeleted.length > 0) ctx.stdout.write('Deleted Images:\n' + r.ImagesDeleted.map((d) => (d.Untagged ? `untagged: ${d.Untagged}` : `deleted: ${d.Deleted}`)).join('\n') + '\n\n');
        ctx.stdout.write(`Total reclaimed space: ${humanSize(r.SpaceReclaimed)}\n`);
        return 0;
      }
      default:
        throw new CliError(`unknown "slipway image" command ${sub ?? ''}; see slipway image --help`);
    }
  },
};
