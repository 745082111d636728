// Dockerfile language features: diagnostics, quick fixes, hover, completion, symbols,
// definition, rename, folding. Each feature's logic is a pure module in this folder; the
// files in providers/ only adapt it to the VS Code API.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { ParsedDocuments } from './documents';
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
  // One parse per document version, for the lints and every other feature; closing forgets it.
  const documents = new ParsedDocuments();
  context.subscriptions.push(vscode.workspace.onDidCloseTextDocument((doc) => documents.drop(doc.uri.toString())));
  registerDiagnostics(context, documents, services, findings);
  registerCodeActions(context, findings);
  registerHover(context, documents);
  registerCompletion(context, documents, services);
  registerSymbols(context, documents);
  registerDefinition(context, documents);
  registerRename(context, documents);
  registerFolding(context, documents);
}
