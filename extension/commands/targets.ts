// What a container/image/Dockerfile command acts on: the tree row it was invoked on, an id
// passed by another command or a test, or — from the palette — the user's pick.
import path from 'node:path';
import * as vscode from 'vscode';
import type { ContainerNode, ContainerSummary } from '../views/containers/model';
import { containerNodes } from '../views/containers/model';
import type { ImageNode, ImageSummary } from '../views/images/model';
import { imageNodes } from '../views/images/model';
import type { Services } from '../services';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The container id of a tree row or a string; else asks (filtered by `want`). */
export async function containerTarget(services: Services, arg: unknown, want?: (c: ContainerNode) => boolean): Promise<{ id: string; name: string } | undefined> {
  if (typeof arg === 'string' && arg) return { id: arg, name: arg };
  if (isObj(arg) && arg.kind === 'container' && typeof arg.containerId === 'string') return { id: arg.containerId, name: String(arg.name ?? arg.containerId) };
  const list = containerNodes(await services.client().get<ContainerSummary[]>('/containers/json', { query: { all: true } }) ?? []).filter(want ?? (() => true));
  if (list.length === 0) {
    void vscode.window.showInformationMessage('Slipway: no container to choose from.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(list.map((c) => ({ label: c.label, description: c.description, node: c })), { title: 'Container' });
  return pick && { id: pick.node.containerId, name: pick.node.name };
}

/** The image reference of a tree row (tag, else id) or a string; else asks. */
export async function imageTarget(services: Services, arg: unknown): Promise<{ ref: string; imageId?: string } | undefined> {
  if (typeof arg === 'string' && arg) return { ref: arg };
  if (isObj(arg) && arg.kind === 'image' && typeof arg.ref === 'string') return { ref: arg.ref, imageId: String((arg as unknown as ImageNode).imageId) };
  const list = imageNodes(await services.client().get<ImageSummary[]>('/images/json') ?? [], Date.now());
  if (list.length === 0) {
    void vscode.window.showInformationMessage('Slipway: no image to choose from.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(list.map((i) => ({ label: i.label, description: i.description, node: i })), { title: 'Image' });
  return pick && { ref: pick.node.ref, imageId: pick.node.imageId };
}

const DOCKERFILE = /(^|[./])(Dockerfile|Containerfile)([.].*)?$|\.(dockerfile|containerfile)$/i;

/** The Dockerfile of an explorer/editor-title invocation, the active editor, or the user's pick. */
export async function dockerfileTarget(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document;
  if (active && (active.languageId === 'dockerfile' || DOCKERFILE.test(path.basename(active.fileName)))) {
    if (active.isDirty) await active.save();
    return active.uri;
  }
  const found = await vscode.workspace.findFiles('**/{Dockerfile,Containerfile,*.Dockerfile,Dockerfile.*,*.dockerfile}', '**/node_modules/**', 50);
  if (found.length === 0) {
    void vscode.window.showInformationMessage('Slipway: no Dockerfile in the workspace.');
    return undefined;
  }
  if (found.length === 1) return found[0];
  const pick = await vscode.window.showQuickPick(found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { title: 'Dockerfile to build' });
  return pick?.uri;
}
