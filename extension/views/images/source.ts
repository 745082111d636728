// The Images view: tags, and under each its layers (from Slipway's layer-changes route).
import type { TreeSource } from '../shared/provider';
import { imageNodes, layerNodes, type ImageNode, type ImageSummary, type LayerInfo, type LayerNode } from './model';

export const imagesSource: TreeSource<ImageNode | LayerNode> = {
  eventTypes: ['image'],
  empty: 'No images',
  async roots(services) {
    return imageNodes(await services.client().get<ImageSummary[]>('/images/json') ?? [], Date.now());
  },
  async children(services, parent) {
    if (parent.kind !== 'image') return [];
    const layers = await services.client().get<LayerInfo[]>(`/slipway/images/${encodeURIComponent(parent.imageId)}/layers`);
    return layerNodes(parent.imageId, layers ?? []);
  },
};
