// slipway diff CONTAINER: A/C/D lines of the container's writable layer, as `docker diff`.
import { CliError, withClient } from '../api';
import type { Command } from '../command';
import { idPath } from '../../client/paths';

const MARK = ['C', 'A', 'D'];

export function renderChanges(changes: Array<{ Path: string; Kind: number }>): string {
  return changes.map((c) => `${MARK[c.Kind] ?? '?'} ${c.Path}\n`).join('');
}

export const diffCommand: Command = {
  name: 'diff',
  summary: 'Inspect changes to files or directories on a container\'s filesystem',
  usage: 'Usage:  slipway diff CONTAINER',
  async run(args, ctx) {
    if (args.length !== 1) throw new CliError('"slipway diff" requires exactly 1 argument: CONTAINER');
    const changes = await withClient(ctx, (api) => api.get<Array<{ Path: string; Kind: number }>>(`/containers/${idPath(args[0])}/changes`));
    ctx.stdout.write(renderChanges(changes ?? []));
    return 0;
  },
};
