import * as vscode from 'vscode';
import { foldingRanges } from '../folding';
import { DOCKERFILE, modelOf } from './convert';

export function registerFolding(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.languages.registerFoldingRangeProvider(DOCKERFILE, {
    provideFoldingRanges: (doc) => foldingRanges(modelOf(doc)).map((f) =>
      new vscode.FoldingRange(f.start, f.end, f.kind === 'comment' ? vscode.FoldingRangeKind.Comment : undefined)),
  }));
}
