// Registers the Slipway activity-bar views (package.json contributes.views "slipway").
// One folder per view: a pure model (API JSON → rows) and a source (which requests).
import * as vscode from 'vscode';
import type { Services } from '../services';
import { containersSource } from './containers/source';
import { imagesSource } from './images/source';
import type { NodeView } from './shared/node';
import { ApiTreeProvider } from './shared/provider';
import { volumesSource } from './volumes/source';

export const VIEW_IDS = { containers: 'slipway.containers', images: 'slipway.images', volumes: 'slipway.volumes' } as const;

export function registerViews(context: vscode.ExtensionContext, services: Services): void {
  const views: Array<[string, vscode.TreeDataProvider<NodeView> & vscode.Disposable]> = [
    [VIEW_IDS.containers, new ApiTreeProvider(services, containersSource)],
    [VIEW_IDS.images, new ApiTreeProvider(services, imagesSource)],
    [VIEW_IDS.volumes, new ApiTreeProvider(services, volumesSource)],
  ];
  for (const [id, provider] of views) {
    context.subscriptions.push(provider, vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: id === VIEW_IDS.images }));
  }
}
