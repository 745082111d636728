// The preview's view state and the pure reducer that makes it from host messages and user
// actions. The webview renders whatever this returns and saves it with setState(), so it must
// stay plain JSON; a restored panel starts from the saved value.
import type { Range } from '../../runtime/errors';
import type { Change } from '../../runtime/layer/diff';
import type { HostMessage, LayerChangesWire } from './protocol';
import { formatSize } from '../../runtime/common/format';

export { formatSize };

export type StepStatus = 'waiting' | 'running' | 'cached' | 'done' | 'failed';

export interface LayerView {
  diffID: string;
  size: number;
  counts: { added: number; modified: number; deleted: number };
}

export interface StepView {
  index: number;
  stage: string;
  instruction: string;
  range: Range;
  status: StepStatus;
  durationMs?: number;
  cacheMiss?: string;
  /** Absent for metadata-only steps (ENV, LABEL, …). */
  layer?: LayerView;
  /** RUN output, the tail only (see LOG_LIMIT). */
  log: string;
  logTruncated: boolean;
  error?: string;
}

export interface ViewState {
  version: 1;
  title: string;
  status: 'idle' | 'building' | 'done' | 'failed';
  buildId?: string;
  dockerfile?: string;
  steps: StepView[];
  imageId?: string;
  tags: string[];
  durationMs?: number;
  error?: { message: string; step?: number; range?: Range; exitCode?: number };
  /** The image's layers, bottom first, once fetched (or a standalone image view). */
  layers?: Array<Omit<LayerChangesWire, 'changes'>>;
  /** Change lists by diffID, from the stream or from /slipway/images/{id}/layers. */
  changes: Record<string, Change[]>;
  /** Keys of expanded rows: "step:N" (log/changes) or "layer:diffID". */
  expanded: string[];
  selected?: number;
  layersStatus?: { loading: boolean; error?: string };
}

export type UiAction =
  | { type: 'toggle'; key: string; open: boolean }
  | { type: 'select'; step: number }
  | { type: 'layers-loading' }
  | { type: 'layers-failed'; error: string };

export type Action = HostMessage | UiAction;

/** Bytes of RUN output kept per step; older output is dropped (the log file has all of it). */
export const LOG_LIMIT = 64 * 1024;

export function initialState(title = 'Layers'): ViewState {
  return { version: 1, title, status: 'idle', steps: [], tags: [], changes: {}, expanded: [] };
}

/** Added/modified/deleted counts of a change list. */
export function countsOf(changes: Change[]): LayerView['counts'] {
  const counts = { added: 0, modified: 0, deleted: 0 };
  for (const c of changes) counts[c.kind] += 1;
  return counts;
}

function updateStep(state: ViewState, index: number, fn: (s: StepView) => StepView): ViewState {
  if (!state.steps.some((s) => s.index === index)) return state; // an event for a step we were never told about
  return { ...state, steps: state.steps.map((s) => (s.index === index ? fn(s) : s)) };
}

function withLayers(state: ViewState, layers: LayerChangesWire[]): ViewState {
  const changes = { ...state.changes };
  for (const l of layers) changes[l.diffID] = l.changes;
  return {
    ...state,
    changes,
    layers: layers.map(({ changes: _c, ...rest }) => rest),
    layersStatus: { loading: false },
  };
}

export function reduce(state: ViewState, action: Action): ViewState {
  switch (action.type) {
    case 'reset':
      return initialState(action.title);
    case 'build-event':
      return reduceBuildEvent(state, action.event);
    case 'image-layers':
      return withLayers({ ...state, imageId: state.imageId ?? action.imageId }, action.layers);
    case 'response':
      return action.ok ? withLayers(state, action.layers) : { ...state, layersStatus: { loading: false, error: action.error } };
    case 'layers-loading':
      return { ...state, layersStatus: { loading: true } };
    case 'layers-failed':
      return { ...state, layersStatus: { loading: false, error: action.error } };
    case 'toggle': {
      const rest = state.expanded.filter((k) => k !== action.key);
      return { ...state, expanded: action.open ? [...rest, action.key] : rest };
    }
    case 'select':
      return { ...state, selected: action.step };
  }
}

function reduceBuildEvent(state: ViewState, event: Extract<HostMessage, { type: 'build-event' }>['event']): ViewState {
  // Events of another build than the one shown are stale (a previous stream still draining).
  if (event.type !== 'build-start' && state.buildId !== undefined && event.buildId !== state.buildId) return state;
  switch (event.type) {
    case 'build-start':
      return {
        ...initialState(state.title),
        status: 'building',
        buildId: event.buildId,
        dockerfile: event.dockerfile,
        steps: event.steps.map((s) => ({ index: s.index, stage: s.stage, instruction: s.instruction, range: s.range, status: 'waiting', log: '', logTruncated: false })),
      };
    case 'step-start':
      return updateStep(state, event.step, (s) => ({ ...s, status: 'running' }));
    case 'step-log':
      return updateStep(state, event.step, (s) => {
        // The builder sends one event per output line, without its newline; text that
        // already ends a line (or a \r progress update) is kept as it is.
        const text = /[\n\r]$/.test(event.text) ? event.text : `${event.text}\n`;
        const log = s.log + text;
        return log.length > LOG_LIMIT ? { ...s, log: log.slice(log.length - LOG_LIMIT), logTruncated: true } : { ...s, log };
      });
    case 'step-end': {
      const layer = event.layer;
      const next = updateStep(state, event.step, (s) => ({
        ...s,
        status: event.cached ? 'cached' : 'done',
        durationMs: event.durationMs,
        cacheMiss: event.cacheMiss,
        layer: layer && { diffID: layer.diffID, size: layer.size, counts: layer.counts ?? countsOf(layer.changes ?? []) },
      }));
      if (!layer?.changes || next === state) return next;
      return { ...next, changes: { ...next.changes, [layer.diffID]: layer.changes } };
    }
    case 'build-end':
      return {
        ...state,
        status: 'done',
        imageId: event.imageId,
        tags: event.tags,
        durationMs: event.durationMs,
        // Steps never started were skipped (an unused stage): they are not "waiting" any more.
        steps: state.steps.map((s) => (s.status === 'running' ? { ...s, status: 'done' } : s)),
      };
    case 'build-error': {
      const failed = event.step ?? state.steps.find((s) => s.status === 'running')?.index;
      const next = failed === undefined ? state : updateStep(state, failed, (s) => ({ ...s, status: 'failed', error: event.message }));
      return {
        ...next,
        status: 'failed',
        error: { message: event.message, step: failed, range: event.range ?? next.steps.find((s) => s.index === failed)?.range, exitCode: event.exitCode },
        // A failed step's output is what the user came for: open it.
        expanded: failed === undefined || next.expanded.includes(`step:${failed}`) ? next.expanded : [...next.expanded, `step:${failed}`],
      };
    }
  }
}

/** The layer row a step shows: its summary plus its change list when known. */
export function stepChanges(state: ViewState, step: StepView): Change[] | undefined {
  return step.layer ? state.changes[step.layer.diffID] : undefined;
}

/** Totals shown in the header. */
export function summary(state: ViewState): { steps: number; cached: number; size: number } {
  let cached = 0;
  let size = 0;
  for (const s of state.steps) {
    if (s.status === 'cached') cached += 1;
    size += s.layer?.size ?? 0;
  }
  if (state.steps.length === 0) for (const l of state.layers ?? []) size += l.size;
  return { steps: state.steps.length, cached, size };
}


export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** "-rwxr-xr-x" from a mode and a tar entry type. */
export function formatMode(mode: number, type: Change['type']): string {
  const lead = type === 'directory' ? 'd' : type === 'symlink' ? 'l' : type === 'char' ? 'c' : type === 'block' ? 'b' : type === 'fifo' ? 'p' : '-';
  const bits = 'rwxrwxrwx';
  let out = '';
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? bits[i] : '-';
  return lead + out;
}
