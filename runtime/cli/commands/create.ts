// slipway create: the container only (same flags as run), its id printed.
import { connect } from '../api';
import type { Command } from '../command';
import { createContainer, RUN_USAGE } from './run';
import { errorText } from '../dispatch';

export const createCommand: Command = {
  name: 'create',
  summary: 'Create a new container',
  helpBeforePositionalOnly: true,
  usage: RUN_USAGE.replace('slipway run', 'slipway create').replace('Create and run a new container from an image', 'Create a new container'),
  async run(args, ctx) {
    const api = await connect(ctx);
    try {
      const { id } = await createContainer(api, ctx, args);
      ctx.stdout.write(`${id}\n`);
      return 0;
    } catch (err) {
      ctx.stderr.write(`slipway: ${errorText(err)}\n`);
      return 125;
    } finally {
      api.close();
    }
  },
};
