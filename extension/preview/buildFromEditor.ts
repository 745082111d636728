// The editor's build: which Dockerfile, which tag (default from the folder name), the preview
// panel opened beside the editor, progress with cancel, and a failure shown with "Go to line".
import path from 'node:path';
import * as vscode from 'vscode';
import { dockerfileTarget } from '../commands/targets';
import type { Services } from '../services';
import { defaultTag, runBuild, validateTag, type BuildOutcome } from './build';
import { layersPreview, revealRange, type LayersPanel } from './panel';

/** What another extension or a test may pass to skip the prompts: `{ tag: 'app:dev' }`. */
export interface BuildOptions {
  tag?: string;
}

function buildOptions(v: unknown): BuildOptions {
  if (typeof v !== 'object' || v === null) return {};
  const tag = (v as { tag?: unknown }).tag;
  return typeof tag === 'string' ? { tag } : {};
}

/** A successful build, with the preview panel that shows it. */
export type BuiltImage = Extract<BuildOutcome, { ok: true }> & { panel: LayersPanel };

export async function buildFromEditor(services: Services, context: vscode.ExtensionContext, arg: unknown, rawOptions?: unknown): Promise<BuiltImage | undefined> {
  const options = buildOptions(rawOptions);
  if (options.tag !== undefined) {
    const bad = validateTag(options.tag);
    if (bad) throw new Error(bad);
  }
  const uri = await dockerfileTarget(arg);
  if (!uri) return undefined;
  const dockerfile = uri.fsPath;
  const contextDir = path.dirname(dockerfile);
  const remembered = context.workspaceState.get<string>(`slipway.tag:${dockerfile}`);
  const tag = options.tag ?? await vscode.window.showInputBox({
    title: `Build ${vscode.workspace.asRelativePath(uri)}`,
    prompt: 'Image tag',
    value: remembered ?? defaultTag(contextDir),
    validateInput: validateTag,
  });
  if (tag === undefined) return undefined;
  await context.workspaceState.update(`slipway.tag:${dockerfile}`, tag);

  const panel = layersPreview(context, services).show(`Build: ${tag}`);
  panel.reset(tag);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Building ${tag}`, cancellable: true },
    async (progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      let total = 0;
      try {
        return await runBuild(services, panel, { contextDir, dockerfile, tag }, ac.signal, (e) => {
          if (e.type === 'build-start') total = e.steps.length;
          if (e.type === 'step-start') {
            const step = e.step + 1;
            progress.report({ message: `step ${step}/${total}`, increment: total > 0 ? 100 / total : undefined });
          }
        });
      } finally {
        sub.dispose();
      }
    },
  );
  if (outcome.ok) {
    vscode.window.setStatusBarMessage(`Slipway: built ${outcome.tags.join(', ') || outcome.imageId}`, 5000);
    return { ...outcome, panel };
  }
  if (outcome.cancelled) return undefined;
  const range = outcome.range;
  // Not awaited: the command ends with the build; the notification waits for the user.
  void vscode.window.showErrorMessage(`Slipway: build of ${tag} failed: ${outcome.message}`, ...(range ? ['Go to line'] : [])).then(async (choice) => {
    if (choice === 'Go to line' && range) await revealRange(outcome.dockerfile, range);
  });
  return undefined;
}
