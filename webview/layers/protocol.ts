// The message protocol of the per-layer preview, shared by the extension host
// (extension/preview/) and the webview (webview/layers/). Both sides validate what they
// receive with the guards below: a webview is a separate, untrusted page, and the host's
// messages carry service data, so nothing is trusted for its shape.
//
//   host                                   webview
//    │ ◄──────────────── ready ──────────────── │  (after load or restore)
//    │ ── reset {title} ──────────────────────► │  a new build or image view
//    │ ── build-event {event} ────────────────► │  one per BuildEvent of the stream
//    │ ── image-layers {imageId, layers} ─────► │  change lists once known
//    │ ◄──── request-layers {requestId, id} ─── │  expanding a layer without changes
//    │ ── response {requestId, ok, …} ────────► │  (the webview times the request out)
//    │ ◄──── reveal {dockerfile, range} ─────── │  selecting a step
//
// No vscode and no DOM here: the module is imported by both bundles and the unit tests.
import type { BuildEvent } from '../../runtime/build/events';
import type { Range } from '../../runtime/errors';
import type { Change } from '../../runtime/layer/diff';
import type { DockerfileSource } from '../../runtime/image/layer-source';

/** One layer of an image as GET /slipway/images/{id}/layers returns it. */
export interface LayerChangesWire {
  diffID: string;
  digest: string;
  size: number;
  uncompressedSize?: number;
  createdBy?: string;
  created?: string;
  /** The Dockerfile lines that made the layer, when built by Slipway ("go to instruction"). */
  source?: DockerfileSource;
  changes: Change[];
}

export type HostMessage =
  | { type: 'reset'; title: string }
  | { type: 'build-event'; event: BuildEvent }
  | { type: 'image-layers'; imageId: string; layers: LayerChangesWire[] }
  | { type: 'response'; requestId: number; ok: true; layers: LayerChangesWire[] }
  | { type: 'response'; requestId: number; ok: false; error: string };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'reveal'; dockerfile: string; range: Range }
  | { type: 'request-layers'; requestId: number; imageId: string };

/** How long the webview waits for a response before it shows a timeout. */
export const REQUEST_TIMEOUT_MS = 15_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const optional = <T>(v: unknown, guard: (x: unknown) => x is T): boolean => v === undefined || guard(v);

function isPosition(v: unknown): boolean {
  return isObj(v) && isNum(v.line) && isNum(v.character);
}

export function isRange(v: unknown): v is Range {
  return isObj(v) && isPosition(v.start) && isPosition(v.end);
}

const CHANGE_KINDS = new Set(['added', 'modified', 'deleted']);

export function isChange(v: unknown): v is Change {
  return isObj(v) && isStr(v.kind) && CHANGE_KINDS.has(v.kind) && isStr(v.path) && isStr(v.type)
    && isNum(v.size) && isNum(v.mode) && isNum(v.uid) && isNum(v.gid);
}

function isCounts(v: unknown): boolean {
  return isObj(v) && isNum(v.added) && isNum(v.modified) && isNum(v.deleted);
}

function isLayerSummary(v: unknown): boolean {
  return isObj(v) && isStr(v.diffID) && isStr(v.digest) && isNum(v.size) && isNum(v.uncompressedSize)
    && isCounts(v.counts) && (v.changes === undefined || (Array.isArray(v.changes) && v.changes.every(isChange)));
}

/** A layer's source: 1-based lines, end not before start (the reveal range is made from them). */
export function isDockerfileSource(v: unknown): v is DockerfileSource {
  return isObj(v) && isStr(v.file) && v.file !== '' && isNum(v.startLine) && isNum(v.endLine) && v.startLine >= 1 && v.endLine >= v.startLine
    && isNum(v.step) && optional(v.path, isStr);
}

export function isLayerChanges(v: unknown): v is LayerChangesWire {
  return isObj(v) && isStr(v.diffID) && isStr(v.digest) && isNum(v.size)
    && optional(v.createdBy, isStr) && optional(v.source, isDockerfileSource) && Array.isArray(v.changes) && v.changes.every(isChange);
}

/**
 * Where "go to instruction" of an image's layer goes: the absolute path when the service read
 * the Dockerfile in place, else its name (the host resolves it); whole lines, 0-based.
 */
export function revealOfSource(s: DockerfileSource): { dockerfile: string; range: Range } {
  return { dockerfile: s.path ?? s.file, range: { start: { line: s.startLine - 1, character: 0 }, end: { line: s.endLine, character: 0 } } };
}

function isStepInfo(v: unknown): boolean {
  return isObj(v) && isNum(v.index) && isStr(v.stage) && isStr(v.instruction) && isRange(v.range);
}

/** Checks one BuildEvent by its type; unknown types are rejected (the reducer could not use them). */
export function isBuildEvent(v: unknown): v is BuildEvent {
  if (!isObj(v) || !isStr(v.buildId)) return false;
  switch (v.type) {
    case 'build-start':
      return isStr(v.dockerfile) && isStr(v.context) && isNum(v.time) && Array.isArray(v.steps) && v.steps.every(isStepInfo);
    case 'step-start':
      return isNum(v.step) && isNum(v.time);
    case 'step-log':
      return isNum(v.step) && (v.stream === 'stdout' || v.stream === 'stderr') && isStr(v.text);
    case 'step-end':
      return isNum(v.step) && isBool(v.cached) && isNum(v.durationMs) && optional(v.cacheMiss, isStr)
        && (v.layer === undefined || isLayerSummary(v.layer));
    case 'build-end':
      return isStr(v.imageId) && Array.isArray(v.tags) && v.tags.every(isStr) && isNum(v.durationMs);
    case 'build-error':
      return isStr(v.message) && optional(v.step, isNum) && optional(v.file, isStr) && optional(v.range, isRange) && optional(v.exitCode, isNum);
    default:
      return false;
  }
}

export function isHostMessage(v: unknown): v is HostMessage {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'reset': return isStr(v.title);
    case 'build-event': return isBuildEvent(v.event);
    case 'image-layers': return isStr(v.imageId) && Array.isArray(v.layers) && v.layers.every(isLayerChanges);
    case 'response':
      if (!isNum(v.requestId)) return false;
      if (v.ok === true) return Array.isArray(v.layers) && v.layers.every(isLayerChanges);
      return v.ok === false && isStr(v.error);
    default: return false;
  }
}

export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'ready': return true;
    case 'reveal': return isStr(v.dockerfile) && isRange(v.range);
    case 'request-layers': return isNum(v.requestId) && isStr(v.imageId) && v.imageId !== '';
    default: return false;
  }
}

/** A short description of what was wrong with a message, for the log (never the whole payload). */
export function describeInvalid(v: unknown): string {
  const type = isObj(v) && isStr(v.type) ? `"${v.type}"` : typeof v;
  return `invalid layers-preview message of type ${type}`;
}
