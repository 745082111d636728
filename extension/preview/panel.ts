// The host side of the per-layer preview: one webview panel, fed build events and layer
// change lists, answering the webview's requests. Messages posted before the page has loaded
// would be lost, and a page can be reloaded by the workbench (moved, hidden, restored): so the
// panel keeps what it sent since the last reset and replays it whenever a page says `ready`.
// Replaying is safe: it starts with the reset, and the reducer rebuilds the same state.
import path from 'node:path';
import * as vscode from 'vscode';
import type { BuildEvent } from '../../runtime/build/events';
import { describe, type Range } from '../../runtime/errors';
import { describeInvalid, isLayerChanges, isWebviewMessage, type HostMessage, type LayerChangesWire, type WebviewMessage } from '../../webview/layers/protocol';
import type { Services } from '../services';
import { previewHtml } from './html';

export const LAYERS_VIEW_TYPE = 'slipway.layers';

/** GET /slipway/images/{id}/layers, checked: a malformed answer is an error naming the image. */
export async function fetchImageLayers(services: Services, imageId: string): Promise<LayerChangesWire[]> {
  const body = await services.client().get<unknown>(`/slipway/images/${encodeURIComponent(imageId)}/layers`);
  if (!Array.isArray(body) || !body.every(isLayerChanges)) throw new Error(`the service sent malformed layers for image ${imageId}`);
  return body;
}

/** Opens the Dockerfile at the range (0-based lines, as the build events carry them). */
export async function revealRange(dockerfile: string, range: Range): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(dockerfile));
  const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  await vscode.window.showTextDocument(doc, { selection, viewColumn: vscode.ViewColumn.One, preserveFocus: false });
}

const webviewRoot = (extensionUri: vscode.Uri) => vscode.Uri.joinPath(extensionUri, 'dist', 'webview');

/** Scripts on, and only dist/webview/ readable by the page. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

export class LayersPanel implements vscode.Disposable {
  private ready = false;
  /** Everything since the last reset (the view's content), for pages that load later. */
  private history: HostMessage[] = [];
  /** Replies that found no page yet. */
  private pendingReplies: HostMessage[] = [];
  /** Messages kept for replay at most; a longer build keeps its start and its end. */
  static readonly HISTORY_LIMIT = 20_000;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** The build context of the events shown: relative Dockerfile paths resolve against it. */
  private contextDir: string | undefined;

  private readyWaiters: Array<() => void> = [];

  constructor(readonly panel: vscode.WebviewPanel, private readonly services: Services, extensionUri: vscode.Uri, private readonly onDispose: () => void) {
    const root = webviewRoot(extensionUri);
    // A restored panel comes with the options it was saved with; set them again to be sure.
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = previewHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'layers.js')).toString(),
      title: panel.title,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Resolves once the page has loaded and said `ready` (its script runs); rejects after `timeoutMs`. */
  whenReady(timeoutMs = 10_000): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the layers preview did not load within ${timeoutMs} ms`)), timeoutMs);
      this.readyWaiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  reveal(title?: string): void {
    if (title) this.panel.title = title;
    this.panel.reveal(undefined, true);
  }

  reset(title: string): void {
    this.panel.title = title;
    this.contextDir = undefined;
    this.post({ type: 'reset', title });
  }

  buildEvent(event: BuildEvent): void {
    if (event.type === 'build-start') this.contextDir = event.context;
    this.post({ type: 'build-event', event });
  }

  imageLayers(imageId: string, layers: LayerChangesWire[]): void {
    this.post({ type: 'image-layers', imageId, layers });
  }

  private post(message: HostMessage): void {
    if (this.disposed) return;
    if (message.type === 'response') {
      if (this.ready) void this.panel.webview.postMessage(message);
      else this.pendingReplies.push(message);
      return;
    }
    if (message.type === 'reset') this.history = [];
    // Past the limit, drop log lines from the middle: steps and results stay.
    if (this.history.length >= LayersPanel.HISTORY_LIMIT) {
      const i = this.history.findIndex((m, k) => k > 0 && m.type === 'build-event' && m.event.type === 'step-log');
      if (i > 0) this.history.splice(i, 1);
    }
    this.history.push(message);
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private receive(message: unknown): void {
    if (!isWebviewMessage(message)) {
      this.services.output.warn(describeInvalid(message));
      return;
    }
    void this.handle(message);
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        // Also sent by a page reloaded in place (the panel hidden without retained context).
        this.ready = true;
        this.services.output.debug(`layers preview: page ready, replaying ${this.history.length} messages`);
        for (const m of [...this.history, ...this.pendingReplies.splice(0)]) void this.panel.webview.postMessage(m);
        for (const w of this.readyWaiters.splice(0)) w();
        return;
      }
      case 'reveal': {
        // A relative name: the build's context, or (an image's layer whose Dockerfile was uploaded) the workspace.
        const base = this.contextDir ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
        const file = path.isAbsolute(message.dockerfile) || !base ? message.dockerfile : path.join(base, message.dockerfile);
        try {
          await revealRange(file, message.range);
        } catch (err) {
          void vscode.window.showWarningMessage(`Slipway: cannot open ${file}: ${describe(err)}`);
        }
        return;
      }
      case 'request-layers': {
        try {
          const layers = await fetchImageLayers(this.services, message.imageId);
          this.post({ type: 'response', requestId: message.requestId, ok: true, layers });
        } catch (err) {
          this.post({ type: 'response', requestId: message.requestId, ok: false, error: describe(err) });
        }
        return;
      }
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.history = [];
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.onDispose();
  }
}

/**
 * The preview panel of one extension activation: shown by the build and image commands,
 * restored after a reload by the serializer. Reached through `layersPreview(context)` so that
 * no module-level mutable state outlives an activation (tests activate more than once).
 */
export class LayersPreview implements vscode.Disposable {
  private current: LayersPanel | undefined;

  constructor(private readonly context: vscode.ExtensionContext, private readonly services: Services) {}

  /** The open panel, revealed, or a new one. */
  show(title: string): LayersPanel {
    if (this.current && !this.current.isDisposed) {
      this.current.reveal(title);
      return this.current;
    }
    const panel = vscode.window.createWebviewPanel(LAYERS_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { ...webviewOptions(this.context.extensionUri), retainContextWhenHidden: true });
    return this.adopt(panel);
  }

  /** Takes over a panel VS Code restored; its page restores its own state (setState). */
  adopt(panel: vscode.WebviewPanel): LayersPanel {
    this.current?.dispose();
    const p = new LayersPanel(panel, this.services, this.context.extensionUri, () => { if (this.current === p) this.current = undefined; });
    this.current = p;
    return p;
  }

  dispose(): void {
    this.current?.dispose();
  }
}

const previews = new WeakMap<vscode.ExtensionContext, LayersPreview>();

export function layersPreview(context: vscode.ExtensionContext, services: Services): LayersPreview {
  let p = previews.get(context);
  if (!p) {
    p = new LayersPreview(context, services);
    previews.set(context, p);
    context.subscriptions.push(p);
  }
  return p;
}
