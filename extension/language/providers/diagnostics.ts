// Diagnostics on open and as you type: each change schedules a lint 200 ms later (a newer change
// cancels it), the result is dropped if the document moved on meanwhile, and the findings are
// kept for the quick fixes. Settings, `.hadolint.yaml` and `.dockerignore` changes re-lint, and
// so does a base image's environment arriving from the service (UndefinedVar, baseImageEnv.ts).
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { localImageEnv } from '../../../runtime/client';
import { describe } from '../../../runtime/errors';
import { lint, type Finding, type Severity } from '../../../runtime/lint';
import type { Services } from '../../services';
import { BaseImageEnvCache, isImageStoreEvent } from '../baseImageEnv';
import { Debouncer } from '../debounce';
import type { ParsedDocuments } from '../documents';
import type { FindingStore } from '../findings';
import { lintOptionsFor, type Fs } from '../lintSettings';
import { toRange, versionOf } from './convert';

export const LINT_DELAY_MS = 200;

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

const diskFs: Fs = {
  readFile(p) {
    try { return readFileSync(p, 'utf8'); } catch { return undefined; }
  },
};

export function toDiagnostic(f: Finding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f.range), f.message, SEVERITY[f.severity]);
  d.source = 'slipway';
  d.code = { value: f.code, target: vscode.Uri.parse(f.url) };
  return d;
}

export function registerDiagnostics(context: vscode.ExtensionContext, documents: ParsedDocuments, services: Services, store: FindingStore): void {
  const collection = vscode.languages.createDiagnosticCollection('slipway');
  const debouncer = new Debouncer<string>(LINT_DELAY_MS);
  let reportedError: string | undefined;
  // Lint never waits for the service: an image's environment arrives later and re-lints.
  const imageEnvs = new BaseImageEnvCache(
    (image) => (services.service.state.kind === 'connected'
      ? localImageEnv(services.client(), image, { timeoutMs: 5_000 })
      : Promise.reject(new Error('the runtime service is not connected'))),
    () => relintAll(),
    { log: (m) => services.output.debug(m) },
  );

  const run = (doc: vscode.TextDocument, delay: number): void => {
    if (doc.languageId !== 'dockerfile') return;
    const key = doc.uri.toString();
    const version = doc.version;
    debouncer.schedule(key, (token) => {
      if (token.cancelled || doc.isClosed || doc.version !== version) return;
      const config = vscode.workspace.getConfiguration('slipway.lint', doc.uri);
      if (!config.get<boolean>('enable', true)) { collection.delete(doc.uri); store.delete(key); return; }
      let findings: Finding[];
      try {
        const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath;
        const { options } = lintOptionsFor({
          file: doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined,
          configFile: config.get<string>('configFile') || undefined,
          workspaceDir: folder,
          severities: config.get('severities'),
        }, diskFs);
        // The version's one parse, shared with hover, completion, symbols…: lint does not parse again.
        findings = lint(documents.context(versionOf(doc)), { ...options, baseImageEnv: imageEnvs.get });
        reportedError = undefined;
      } catch (err) {
        // A bad setting or config file: say so once, and keep the last good diagnostics.
        const message = describe(err);
        if (message !== reportedError) {
          reportedError = message;
          services.output.error(`lint ${doc.uri.fsPath}: ${message}`);
          void vscode.window.showWarningMessage(`Slipway lint: ${message}`);
        }
        return;
      }
      if (token.cancelled || doc.isClosed || doc.version !== version) return;
      store.set(key, version, findings);
      collection.set(doc.uri, findings.map(toDiagnostic));
    }, delay);
  };
  const relintAll = (): void => { for (const doc of vscode.workspace.textDocuments) run(doc, 0); };

  const watcher = vscode.workspace.createFileSystemWatcher('**/{.hadolint.yaml,.hadolint.yml,.dockerignore,*.dockerignore}');
  const offEvent = services.service.onEvent((e) => { if (isImageStoreEvent(e)) imageEnvs.refresh(); });
  const offState = services.service.onDidChangeState((s) => { if (s.kind === 'connected') imageEnvs.refresh(); });
  context.subscriptions.push(
    collection,
    { dispose: () => debouncer.dispose() },
    { dispose: () => { offEvent(); offState(); imageEnvs.dispose(); } },
    watcher,
    watcher.onDidChange(relintAll), watcher.onDidCreate(relintAll), watcher.onDidDelete(relintAll),
    vscode.workspace.onDidOpenTextDocument((doc) => run(doc, 0)),
    vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length > 0) run(e.document, LINT_DELAY_MS); }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      debouncer.cancel(doc.uri.toString());
      store.delete(doc.uri.toString());
      collection.delete(doc.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('slipway.lint')) relintAll(); }),
  );
  relintAll();
}
