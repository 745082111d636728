// Dockerfile language features: diagnostics, quick fixes, hover, completion, symbols,
// definition, rename, folding. Each feature's logic is a pure module in this folder; the
// files in providers/ only adapt it to the VS Code API.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { FindingStore } from './findings';
import { registerCodeActions } from './providers/codeActions';
import { registerCompletion } from './providers/completion';
import { registerDefinition } from './providers/definition';
import { registerDiagnostics } from './providers/diagnostics';
import { registerFolding } from './providers/folding';
import { registerHover } from './providers/hover';
import { registerRename } from './providers/rename';
import { registerSymbols } from './providers/symbols';

export function registerLanguageFeatures(context: vscode.ExtensionContext, services: Services): void {
  const findings = new FindingStore();
  registerDiagnostics(context, services, findings);
  registerCodeActions(context, findings);
  registerHover(context);
  registerCompletion(context, services);
  registerSymbols(context);
  registerDefinition(context);
  registerRename(context);
  registerFolding(context);
}
