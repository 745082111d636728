// The one tree data provider the three views share: rows come from a load function over the
// API client, refreshes come from the service's /events (debounced: a `run` emits create,
// attach, start in a burst) and from connection state changes. Never polls.
import * as vscode from 'vscode';
import { describe } from '../../../runtime/errors';
import type { ServiceEvent } from '../../service/connection';
import type { Services } from '../../services';
import { messageNode, type NodeView } from './node';

export interface TreeSource<T extends NodeView> {
  /** Event `Type`s of GET /events that change this view ("container", "image", "volume"). */
  eventTypes: readonly string[];
  roots(services: Services): Promise<T[]>;
  children?(services: Services, parent: T): Promise<T[]>;
  /** The text shown when the list is empty. */
  empty: string;
}

export const REFRESH_DEBOUNCE_MS = 250;

export class ApiTreeProvider<T extends NodeView> implements vscode.TreeDataProvider<T | NodeView>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly unsubscribe: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly services: Services, private readonly source: TreeSource<T>) {
    this.unsubscribe.push(
      services.service.onEvent((e: ServiceEvent) => { if (source.eventTypes.includes(e.Type)) this.refreshSoon(); }),
      services.service.onDidChangeState((s) => { if (s.kind !== 'connecting') this.refresh(); }),
    );
  }

  refresh(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.fire();
  }

  refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  getTreeItem(node: NodeView): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.collapsible ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    if (node.command) item.command = { command: node.command.id, title: node.command.title, arguments: node.command.args };
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    return item;
  }

  async getChildren(parent?: T | NodeView): Promise<Array<T | NodeView>> {
    const state = this.services.service.state;
    if (state.kind !== 'connected') {
      if (parent) return [];
      return [state.kind === 'connecting'
        ? { ...messageNode('connecting', 'Connecting to the Slipway runtime service…'), icon: { id: 'loading~spin' } }
        : messageNode('unreachable', 'Slipway runtime service not reachable', `${state.error}\nretrying in ${Math.round(state.retryInMs / 1000)} s`)];
    }
    try {
      if (!parent) {
        const rows = await this.source.roots(this.services);
        return rows.length > 0 ? rows : [{ ...messageNode('empty', this.source.empty), icon: { id: 'info' } }];
      }
      if (parent.contextValue === 'message' || !this.source.children) return [];
      return await this.source.children(this.services, parent as T);
    } catch (err) {
      return [messageNode(`error:${parent?.id ?? 'root'}`, describe(err), describe(err))];
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const off of this.unsubscribe) off();
    this.changed.dispose();
  }
}
