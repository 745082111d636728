// The host side of the per-layer preview: one webview panel, fed build events and layer
// change lists, answering the webview's requests. Messages posted before the page has loaded
// would be lost, so they wait in a queue until the page says `ready`.
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

export class LayersPanel implements vscode.Disposable {
  private ready = false;
  private queue: HostMessage[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** The build context of the events shown: relative Dockerfile paths resolve against it. */
  private contextDir: string | undefined;

  constructor(readonly panel: vscode.WebviewPanel, private readonly services: Services, extensionUri: vscode.Uri, private readonly onDispose: () => void) {
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
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
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
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
        this.ready = true;
        const queued = this.queue;
        this.queue = [];
        for (const m of queued) void this.panel.webview.postMessage(m);
        return;
      }
      case 'reveal': {
        const file = path.isAbsolute(message.dockerfile) || !this.contextDir ? message.dockerfile : path.join(this.contextDir, message.dockerfile);
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
    this.queue = [];
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
    const panel = vscode.window.createWebviewPanel(LAYERS_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { retainContextWhenHidden: true });
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
