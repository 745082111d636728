// The Containers view: every container, running ones first.
import type { TreeSource } from '../shared/provider';
import { containerNodes, type ContainerNode, type ContainerSummary } from './model';

export const containersSource: TreeSource<ContainerNode> = {
  eventTypes: ['container'],
  empty: 'No containers',
  async roots(services) {
    return containerNodes(await services.client().get<ContainerSummary[]>('/containers/json', { query: { all: true } }) ?? []);
  },
};
