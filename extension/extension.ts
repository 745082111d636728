// Extension entry point: builds the services object once and hands it to each feature's
// registration function. No feature reads globals; everything it needs comes in `services`.
import * as vscode from 'vscode';
import type { SlipwayApi } from './api';
import { createServices } from './services';
import { registerCommands } from './commands';
import { registerLanguageFeatures } from './language';
import { registerPreview } from './preview';
import { registerViews } from './views';
import { ServiceStatusBar } from './service/statusBar';

export async function activate(context: vscode.ExtensionContext): Promise<SlipwayApi> {
  const services = createServices(context);
  const statusBar = new ServiceStatusBar(services.service);
  context.subscriptions.push(statusBar);
  registerLanguageFeatures(context, services);
  registerCommands(context, services);
  registerViews(context, services);
  registerPreview(context, services);
  // Find or start the service in the background: activation must not wait for it.
  services.service.start();
  return { services, statusBarText: () => statusBar.text };
}

export function deactivate(): void {
  // Disposables registered on the context are disposed by VS Code. The service keeps running
  // (other windows and the CLI share it); `slipway service stop` ends it.
}
