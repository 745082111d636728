// The Volumes view.
import type { TreeSource } from '../shared/provider';
import { volumeNodes, type VolumeNode, type VolumeSummary } from './model';

export const volumesSource: TreeSource<VolumeNode> = {
  eventTypes: ['volume'],
  empty: 'No volumes',
  async roots(services) {
    return volumeNodes(await services.client().get<{ Volumes?: VolumeSummary[] | null }>('/volumes'));
  },
};
