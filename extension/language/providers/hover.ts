import * as vscode from 'vscode';
import type { ParsedDocuments } from '../documents';
import { hoverAt } from '../hover';
import { DOCKERFILE, fromPosition, modelOf, toRange } from './convert';

export function registerHover(context: vscode.ExtensionContext, documents: ParsedDocuments): void {
  context.subscriptions.push(vscode.languages.registerHoverProvider(DOCKERFILE, {
    provideHover(doc, pos) {
      const h = hoverAt(modelOf(documents, doc), fromPosition(pos));
      return h && new vscode.Hover(new vscode.MarkdownString(h.markdown), toRange(h.range));
    },
  }));
}
