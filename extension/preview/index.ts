// Registers the per-layer preview's serializer, so a panel open at reload comes back.
// (package.json activationEvents lists onWebviewPanel:slipway.layers for it.)
import * as vscode from 'vscode';
import type { Services } from '../services';
import { LAYERS_VIEW_TYPE, layersPreview } from './panel';

export function registerPreview(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(LAYERS_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
      layersPreview(context, services).adopt(panel);
    },
  }));
}
