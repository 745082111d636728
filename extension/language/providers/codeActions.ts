// Quick fixes: every fix the lint engine attached to a finding (including its "ignore this rule
// here" fix) becomes a code action on that diagnostic.
import * as vscode from 'vscode';
import type { FindingStore } from '../findings';
import { DOCKERFILE, fromRange, toRange } from './convert';
import { toDiagnostic } from './diagnostics';

export function registerCodeActions(context: vscode.ExtensionContext, store: FindingStore): void {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(doc, range, ctx) {
      const wanted = ctx.only && !vscode.CodeActionKind.QuickFix.intersects(ctx.only);
      if (wanted) return [];
      const actions: vscode.CodeAction[] = [];
      for (const finding of store.at(doc.uri.toString(), doc.version, fromRange(range))) {
        // Attach the diagnostic VS Code shows, so the light bulb groups the fix with it.
        const shown = ctx.diagnostics.find((d) => codeOf(d) === finding.code && d.range.isEqual(toRange(finding.range))) ?? toDiagnostic(finding);
        finding.fixes.forEach((fix, i) => {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [shown];
          action.edit = new vscode.WorkspaceEdit();
          for (const e of fix.edits) action.edit.replace(doc.uri, toRange(e.range), e.newText);
          // The rule's own fix first; the "ignore" fix the engine appends last is never preferred.
          action.isPreferred = i === 0 && finding.fixes.length > 1;
          actions.push(action);
        });
      }
      return actions;
    },
  };
  context.subscriptions.push(vscode.languages.registerCodeActionsProvider(DOCKERFILE, provider, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }));
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}
