import * as vscode from 'vscode';
import type { ParsedDocuments } from '../documents';
import { foldingRanges } from '../folding';
import { DOCKERFILE, modelOf } from './convert';

export function registerFolding(context: vscode.ExtensionContext, documents: ParsedDocuments): void {
  context.subscriptions.push(vscode.languages.registerFoldingRangeProvider(DOCKERFILE, {
    provideFoldingRanges: (doc) => foldingRanges(modelOf(documents, doc)).map((f) =>
      new vscode.FoldingRange(f.start, f.end, f.kind === 'comment' ? vscode.FoldingRangeKind.Comment : undefined)),
  }));
}
