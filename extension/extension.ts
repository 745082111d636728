// Extension entry point: builds the services object once and hands it to each feature's
// registration function. No feature reads globals; everything it needs comes in `services`.
import * as vscode from 'vscode';
import { createServices } from './services';
import { registerCommands } from './commands';
import { registerLanguageFeatures } from './language';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const services = createServices(context);
  registerLanguageFeatures(context, services);
  registerCommands(context, services);
}

export function deactivate(): void {
  // Disposables registered on the context are disposed by VS Code.
}
