// slipway.buildImage: build the Dockerfile (explorer/editor title/palette) with the per-layer preview.
import { buildFromEditor } from '../preview/buildFromEditor';
import type { Command } from './command';

export const buildImage: Command = {
  id: 'slipway.buildImage',
  run(services, context, arg, options) {
    return buildFromEditor(services, context, arg, options);
  },
};
