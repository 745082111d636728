// slipway rename CONTAINER NEW_NAME (docker rename): POST /containers/{id}/rename?name=.
import { parseArgs } from 'node:util';
import { CliError, withClient } from '../api';
import type { Command } from '../command';
import { idPath } from '../../client/paths';

export const renameCommand: Command = {
  name: 'rename',
  summary: 'Rename a container',
  usage: 'Usage:  slipway rename CONTAINER NEW_NAME\n\nRename a container',
  async run(args, ctx) {
    const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
    if (positionals.length !== 2) throw new CliError('"slipway rename" requires exactly 2 arguments: CONTAINER NEW_NAME');
    const [ref, name] = positionals;
    await withClient(ctx, (api) => api.post(`/containers/${idPath(ref)}/rename`, undefined, { query: { name } }));
    return 0;
  },
};
