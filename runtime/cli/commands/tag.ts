// slipway tag SOURCE TARGET
import { parseReference, familiarRepository } from '../../image/reference';
import { CliError, withClient } from '../api';
import type { Command } from '../command';
import { imagePath } from '../../client/paths';

export const tagCommand: Command = {
  name: 'tag',
  summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  usage: 'Usage:  slipway tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  async run(args, ctx) {
    if (args.length !== 2) throw new CliError('"slipway tag" requires exactly 2 arguments');
    const target = parseReference(args[1]);
    await withClient(ctx, (api) => api.post(`/images/${imagePath(args[0])}/tag`, undefined, { query: { repo: familiarRepository(target), tag: target.tag ?? 'latest' } }));
    return 0;
  },
};
