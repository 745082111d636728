// Completion; local image names for FROM come from the runtime service (GET /images/json),
// cached briefly, and are simply left out when the service is not reachable.
import * as vscode from 'vscode';
import type { ParsedDocuments } from '../documents';
import type { Services } from '../../services';
import { completionsAt, imageNamesFrom, type ItemKind } from '../completion';
import { DOCKERFILE, fromPosition, modelOf, toRange } from './convert';

const KIND: Record<ItemKind, vscode.CompletionItemKind> = {
  keyword: vscode.CompletionItemKind.Keyword,
  flag: vscode.CompletionItemKind.Property,
  stage: vscode.CompletionItemKind.Reference,
  variable: vscode.CompletionItemKind.Variable,
  image: vscode.CompletionItemKind.Module,
};
const IMAGE_TTL_MS = 10_000;
const IMAGE_TIMEOUT_MS = 500;

export function registerCompletion(context: vscode.ExtensionContext, documents: ParsedDocuments, services: Services): void {
  let images: { at: number; names: string[] } | undefined;
  const localImages = async (): Promise<string[]> => {
    if (images && Date.now() - images.at < IMAGE_TTL_MS) return images.names;
    try {
      const names = imageNamesFrom(await services.client().get('/images/json', { timeoutMs: IMAGE_TIMEOUT_MS }));
      images = { at: Date.now(), names };
      return names;
    } catch {
      images = { at: Date.now(), names: [] };
      return [];
    }
  };

  context.subscriptions.push(vscode.languages.registerCompletionItemProvider(DOCKERFILE, {
    async provideCompletionItems(doc, pos) {
      const model = modelOf(documents, doc);
      const line = doc.lineAt(pos.line).text.slice(0, pos.character);
      const wantsImages = /^\s*from\s+(?:--\S+\s+)*\S*$/i.test(line);
      const items = completionsAt(model, fromPosition(pos), wantsImages ? await localImages() : []);
      return items.map((it) => {
        const c = new vscode.CompletionItem(it.label, KIND[it.kind]);
        c.insertText = it.snippet ? new vscode.SnippetString(it.insertText) : it.insertText;
        c.range = toRange(it.range);
        c.detail = it.detail;
        if (it.documentation) c.documentation = new vscode.MarkdownString(it.documentation);
        // Re-open suggestions after a flag that takes a value (`--from=` → stage names).
        if (it.kind === 'flag' && it.insertText.endsWith('=')) c.command = { title: 'suggest', command: 'editor.action.triggerSuggest' };
        return c;
      });
    },
  }, '$', '{', '-', '='));
}
