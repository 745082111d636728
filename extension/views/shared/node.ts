// What a tree row shows, without vscode: the models map API JSON to these, the providers turn
// them into vscode.TreeItems. Kept plain so the mapping is unit-tested on its own.
import { formatSize } from '../../../runtime/common/format';

export interface NodeView {
  /** Stable across refreshes (keeps expansion and selection). */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** Menus match on it (package.json "when": "viewItem =~ /^container\\.running/"). */
  contextValue: string;
  /** A codicon id, with an optional theme colour id. */
  icon?: { id: string; color?: string };
  collapsible?: boolean;
  /** Run when the row is clicked: a command id and its arguments. */
  command?: { id: string; title: string; args: unknown[] };
}

/** "3 minutes ago" from a time in seconds since the epoch (Docker's `Created`). */
export function ago(seconds: number, nowMs: number): string {
  const s = Math.max(0, Math.round(nowMs / 1000 - seconds));
  const steps: Array<[number, string]> = [[60 * 60 * 24 * 365, 'year'], [60 * 60 * 24 * 30, 'month'], [60 * 60 * 24 * 7, 'week'], [60 * 60 * 24, 'day'], [60 * 60, 'hour'], [60, 'minute']];
  for (const [unit, name] of steps) {
    const n = Math.floor(s / unit);
    if (n >= 1) return `${n} ${name}${n > 1 ? 's' : ''} ago`;
  }
  return 'just now';
}

/** "12.3 MB" as `docker images` prints sizes (decimal units). */
export const size = formatSize;

export const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);

/** The row shown instead of the list when the service cannot be reached or a request failed. */
export function messageNode(id: string, text: string, tooltip?: string): NodeView {
  return { id: `message:${id}`, label: text, tooltip, contextValue: 'message', icon: { id: 'warning', color: 'problemsWarningIcon.foreground' } };
}
