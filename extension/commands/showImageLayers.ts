// slipway.showImageLayers: the per-layer preview of any image (its layers and change lists).
import * as vscode from 'vscode';
import { describe } from '../../runtime/errors';
import { fetchImageLayers, layersPreview } from '../preview/panel';
import type { Command } from './command';
import { imageTarget } from './targets';

export const showImageLayers: Command = {
  id: 'slipway.showImageLayers',
  async run(services, context, arg) {
    const target = await imageTarget(services, arg);
    if (!target) return;
    try {
      const layers = await fetchImageLayers(services, target.ref);
      const panel = layersPreview(context, services).show(`Layers: ${target.ref}`);
      panel.reset(target.ref);
      panel.imageLayers(target.imageId ?? target.ref, layers);
      return panel;
    } catch (err) {
      void vscode.window.showErrorMessage(`Slipway: cannot show the layers of ${target.ref}: ${describe(err)}`);
    }
  },
};
