// Renders a ViewState into the page (browser only). The whole view is rebuilt per animation
// frame from the state, so the state is the only truth; what the user opened lives in
// `state.expanded`, not in the DOM. Text is always set through textContent (never innerHTML):
// build output and paths come from the user's project.
import type { Change } from '../../runtime/layer/diff';
import { formatLayerSource } from '../../runtime/image/layer-source';
import { countsOf, formatDuration, formatMode, formatSize, stepChanges, summary, type StepView, type ViewState } from './state';

/** Rows of a change list drawn at once; the rest is summarised (big layers have 10k+ paths). */
export const CHANGE_ROWS = 400;

type Attrs = Record<string, string | boolean | undefined>;

function el(tag: string, attrs: Attrs = {}, ...children: Array<Node | string | undefined>): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') e.className = String(v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== undefined) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

const STATUS_LABEL: Record<StepView['status'], string> = {
  waiting: 'waiting', running: 'running', cached: 'cached', done: 'done', failed: 'failed',
};

function countsBadges(counts: { added: number; modified: number; deleted: number }): HTMLElement {
  return el('span', { class: 'counts' },
    el('span', { class: 'count added', title: 'added' }, `+${counts.added}`),
    el('span', { class: 'count modified', title: 'modified' }, `~${counts.modified}`),
    el('span', { class: 'count deleted', title: 'deleted' }, `-${counts.deleted}`));
}

export function changeTable(changes: Change[]): HTMLElement {
  const head = el('tr', {}, el('th', {}, ''), el('th', {}, 'path'), el('th', { class: 'num' }, 'size'), el('th', {}, 'mode'), el('th', {}, 'owner'));
  const rows = changes.slice(0, CHANGE_ROWS).map((c) => el('tr', { class: `change ${c.kind}`, 'data-kind': c.kind },
    el('td', { class: 'kind', title: c.kind }, c.kind === 'added' ? 'A' : c.kind === 'modified' ? 'M' : 'D'),
    el('td', { class: 'path' }, c.type === 'directory' ? `${c.path}/` : c.path),
    el('td', { class: 'num' }, c.type === 'file' ? formatSize(c.size) : ''),
    el('td', { class: 'mode' }, formatMode(c.mode, c.type)),
    el('td', { class: 'owner' }, `${c.uid}:${c.gid}`)));
  const table = el('table', { class: 'changes' }, el('thead', {}, head), el('tbody', {}, ...rows));
  if (changes.length <= CHANGE_ROWS) return table;
  return el('div', {}, table, el('p', { class: 'more' }, `… and ${changes.length - CHANGE_ROWS} more changed paths`));
}

function changesBlock(state: ViewState, key: string, changes: Change[] | undefined, canFetch: boolean): HTMLElement {
  const open = state.expanded.includes(key);
  const body = !open ? undefined
    : changes ? (changes.length === 0 ? el('p', { class: 'muted' }, 'no changed paths') : changeTable(changes))
      : state.layersStatus?.loading ? el('p', { class: 'muted' }, 'loading changes…')
        : state.layersStatus?.error ? el('p', { class: 'error' }, state.layersStatus.error)
          : el('p', { class: 'muted' }, canFetch ? 'loading changes…' : 'changes are shown when the build ends');
  return el('vscode-collapsible', { heading: 'Changes', 'data-key': key, open, class: 'changes-block' }, body);
}

function stepRow(state: ViewState, step: StepView): HTMLElement {
  const key = `step:${step.index}`;
  const open = state.expanded.includes(key);
  const parts = [STATUS_LABEL[step.status]];
  if (step.durationMs !== undefined) parts.push(formatDuration(step.durationMs));
  if (step.layer) parts.push(formatSize(step.layer.size));
  const deco = el('span', { slot: 'decorations', class: 'deco' },
    step.layer ? countsBadges(step.layer.counts) : undefined,
    el('a', { href: '#', class: 'line', 'data-reveal': String(step.index), title: 'show in the Dockerfile' }, `line ${step.range.start.line + 1}`));
  const body: Array<HTMLElement | undefined> = [];
  if (step.cacheMiss) body.push(el('p', { class: 'cache-miss' }, `cache miss: ${step.cacheMiss}`));
  if (step.error) body.push(el('p', { class: 'error' }, step.error));
  if (step.log) {
    body.push(el('pre', { class: 'log' }, step.logTruncated ? `… (earlier output dropped)\n${step.log}` : step.log));
  }
  if (step.layer) body.push(changesBlock(state, `layer:${step.layer.diffID}`, stepChanges(state, step), state.imageId !== undefined));
  else if (step.status === 'done' || step.status === 'cached') body.push(el('p', { class: 'muted' }, 'no layer (metadata only)'));
  if (body.length === 0) body.push(el('p', { class: 'muted' }, step.status === 'waiting' ? 'not started' : 'no output'));
  return el('vscode-collapsible', {
    heading: `${step.index + 1}. ${step.instruction}`,
    description: parts.join(' · '),
    'data-key': key,
    'data-step': String(step.index),
    'data-status': step.status,
    class: `step ${step.status}${state.selected === step.index ? ' selected' : ''}`,
    open,
    alwaysShowHeaderActions: true,
  }, deco, ...body);
}

function layerRow(state: ViewState, layer: NonNullable<ViewState['layers']>[number], i: number): HTMLElement {
  const key = `layer:${layer.diffID}`;
  const changes = state.changes[layer.diffID];
  const open = state.expanded.includes(key);
  // Layers built by Slipway know their Dockerfile lines: a link opens them.
  const where = layer.source ? formatLayerSource(layer.source) : undefined;
  const deco = changes || where ? el('span', { slot: 'decorations', class: 'deco' },
    changes ? countsBadges(countsOf(changes)) : undefined,
    where ? el('a', { href: '#', class: 'line', 'data-reveal-layer': String(i), title: 'go to the instruction' }, where) : undefined) : undefined;
  return el('vscode-collapsible', {
    heading: `${i + 1}. ${layer.createdBy ?? layer.diffID.slice(0, 19)}`,
    description: formatSize(layer.size),
    'data-key': key,
    class: 'layer',
    open,
    alwaysShowHeaderActions: where !== undefined,
  }, deco,
  open ? (changes ? changeTable(changes) : el('p', { class: 'muted' }, 'loading changes…')) : undefined);
}

function header(state: ViewState): HTMLElement {
  const s = summary(state);
  const facts: string[] = [];
  if (s.steps > 0) facts.push(`${s.steps} steps`, `${s.cached} cached`);
  facts.push(formatSize(s.size));
  if (state.durationMs !== undefined) facts.push(formatDuration(state.durationMs));
  const status = state.status === 'building' ? el('vscode-progress-ring', { class: 'ring' }) : undefined;
  return el('header', { 'data-status': state.status },
    el('h1', {}, status, state.title),
    el('p', { class: 'facts' }, `${state.status} · ${facts.join(' · ')}`),
    state.imageId ? el('p', { class: 'image' }, `image ${state.imageId.startsWith('sha256:') ? state.imageId.slice(7, 19) : state.imageId}${state.tags.length ? ` (${state.tags.join(', ')})` : ''}`) : undefined,
    state.error ? el('div', { class: 'error build-error' },
      el('span', {}, state.error.message + (state.error.exitCode !== undefined ? ` (exit code ${state.error.exitCode})` : '')),
      state.error.step !== undefined ? el('a', { href: '#', 'data-reveal': String(state.error.step) }, ' go to line') : undefined) : undefined);
}

export function render(root: HTMLElement, state: ViewState): void {
  const main = el('main', {}, header(state));
  if (state.steps.length > 0) main.append(el('section', { class: 'steps' }, ...state.steps.map((s) => stepRow(state, s))));
  else if (state.layers) main.append(el('section', { class: 'layers' }, ...state.layers.map((l, i) => layerRow(state, l, i))));
  else if (state.status === 'idle') main.append(el('p', { class: 'muted' }, state.layersStatus?.error ?? 'waiting for a build or an image…'));
  root.replaceChildren(main);
}
