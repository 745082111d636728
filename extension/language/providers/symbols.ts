import * as vscode from 'vscode';
import type { ParsedDocuments } from '../documents';
import { documentSymbols, type Sym } from '../symbols';
import { DOCKERFILE, modelOf, toRange } from './convert';

const toSymbol = (s: Sym): vscode.DocumentSymbol => {
  const d = new vscode.DocumentSymbol(s.name, s.detail, s.kind === 'stage' ? vscode.SymbolKind.Class : vscode.SymbolKind.Property, toRange(s.range), toRange(s.selectionRange));
  d.children = s.children.map(toSymbol);
  return d;
};

export function registerSymbols(context: vscode.ExtensionContext, documents: ParsedDocuments): void {
  context.subscriptions.push(vscode.languages.registerDocumentSymbolProvider(DOCKERFILE, {
    provideDocumentSymbols: (doc) => documentSymbols(modelOf(documents, doc)).map(toSymbol),
  }, { label: 'Dockerfile stages' }));
}
