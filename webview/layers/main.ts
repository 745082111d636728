// Entry point of the per-layer preview webview (bundled as an iife into dist/webview/layers.js).
// Messages from the host are validated, folded into the state by the pure reducer, saved with
// setState() (so a restored panel shows the same view) and rendered once per frame.
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { describeInvalid, isHostMessage, REQUEST_TIMEOUT_MS, revealOfSource, type WebviewMessage } from './protocol';
import { render } from './render';
import { initialState, reduce, type Action, type ViewState } from './state';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: ViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') ?? document.body;

function restored(saved: unknown): ViewState | undefined {
  // Saved by an older build of this page, or not at all: start empty rather than misrender.
  const s = saved as Partial<ViewState> | undefined;
  return s && s.version === 1 && Array.isArray(s.steps) && Array.isArray(s.expanded) ? (s as ViewState) : undefined;
}

let state: ViewState = restored(vscode.getState()) ?? initialState();
let frame = 0;
let nextRequestId = 1;
/** Requests waiting for the host, each with its timeout. */
const pending = new Map<number, { imageId: string; timer: ReturnType<typeof setTimeout> }>();

function dispatch(action: Action): void {
  const next = reduce(state, action);
  if (next === state) return;
  state = next;
  vscode.setState(state);
  if (!frame) frame = requestAnimationFrame(() => { frame = 0; render(root, state); });
  maybeFetchLayers();
}

/** An expanded layer whose changes are unknown and an image to ask about: ask the host once. */
function maybeFetchLayers(): void {
  if (!state.imageId || pending.size > 0 || state.layersStatus?.loading || state.layersStatus?.error) return;
  const missing = state.expanded.some((k) => k.startsWith('layer:') && !state.changes[k.slice(6)]);
  if (missing) requestLayers(state.imageId);
}

function requestLayers(imageId: string): void {
  const requestId = nextRequestId++;
  const timer = setTimeout(() => {
    pending.delete(requestId);
    dispatch({ type: 'layers-failed', error: `no answer about the layers of ${imageId.slice(0, 19)} within ${REQUEST_TIMEOUT_MS / 1000} s` });
  }, REQUEST_TIMEOUT_MS);
  pending.set(requestId, { imageId, timer });
  dispatch({ type: 'layers-loading' });
  vscode.postMessage({ type: 'request-layers', requestId, imageId });
}

function reveal(stepIndex: number): void {
  const step = state.steps.find((s) => s.index === stepIndex);
  if (!step || !state.dockerfile) return;
  dispatch({ type: 'select', step: stepIndex });
  vscode.postMessage({ type: 'reveal', dockerfile: state.dockerfile, range: step.range });
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  const msg = e.data;
  if (!isHostMessage(msg)) {
    console.warn(describeInvalid(msg));
    return;
  }
  if (msg.type === 'response') {
    const req = pending.get(msg.requestId);
    if (!req) return; // timed out already, or never ours
    clearTimeout(req.timer);
    pending.delete(msg.requestId);
  }
  dispatch(msg);
});

// The toggle event does not bubble: listen in the capture phase, which every event passes.
root.addEventListener('vsc-collapsible-toggle', (e) => {
  const target = e.target as HTMLElement;
  const key = target.dataset.key;
  if (!key) return;
  const open = (e as CustomEvent<{ open: boolean }>).detail.open;
  dispatch({ type: 'toggle', key, open });
  if (open && target.dataset.step) reveal(Number(target.dataset.step));
}, true);

/** "Go to instruction" of an image's layer (the image view, no build steps): its recorded source. */
function revealLayer(i: number): void {
  const source = state.layers?.[i]?.source;
  if (source) vscode.postMessage({ type: 'reveal', ...revealOfSource(source) });
}

// Capture phase: the collapsible stops clicks on its header slots from bubbling.
root.addEventListener('click', (e) => {
  const link = (e.target as HTMLElement).closest<HTMLElement>('[data-reveal], [data-reveal-layer]');
  if (!link) return;
  e.preventDefault();
  e.stopPropagation();
  if (link.dataset.revealLayer !== undefined) revealLayer(Number(link.dataset.revealLayer));
  else reveal(Number(link.dataset.reveal));
}, true);

render(root, state);
vscode.postMessage({ type: 'ready' });
