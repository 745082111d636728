import * as vscode from 'vscode';
import type { ParsedDocuments } from '../documents';
import { describe } from '../../../runtime/errors';
import { prepareRename, renameEdits } from '../references';
import { DOCKERFILE, fromPosition, modelOf, toRange } from './convert';

export function registerRename(context: vscode.ExtensionContext, documents: ParsedDocuments): void {
  context.subscriptions.push(vscode.languages.registerRenameProvider(DOCKERFILE, {
    prepareRename(doc, pos) {
      const r = prepareRename(modelOf(documents, doc), fromPosition(pos));
      if (!r) throw new Error('only stage names and ARG/ENV variables can be renamed');
      return { range: toRange(r.range), placeholder: r.placeholder };
    },
    provideRenameEdits(doc, pos, newName) {
      const edit = new vscode.WorkspaceEdit();
      try {
        for (const e of renameEdits(modelOf(documents, doc), fromPosition(pos), newName)) edit.replace(doc.uri, toRange(e.range), e.newText);
      } catch (err) {
        // VS Code shows a thrown error's message in the rename box.
        throw new Error(describe(err), { cause: err });
      }
      return edit;
    },
  }));
}
