import * as vscode from 'vscode';
import type { ParsedDocuments } from '../documents';
import { definitionAt } from '../references';
import { DOCKERFILE, fromPosition, modelOf, toRange } from './convert';

export function registerDefinition(context: vscode.ExtensionContext, documents: ParsedDocuments): void {
  context.subscriptions.push(vscode.languages.registerDefinitionProvider(DOCKERFILE, {
    provideDefinition(doc, pos) {
      const r = definitionAt(modelOf(documents, doc), fromPosition(pos));
      return r && new vscode.Location(doc.uri, toRange(r));
    },
  }));
}
