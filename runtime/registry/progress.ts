// Progress of a pull or push, in the shape of Docker's JSON messages (moby pkg/jsonmessage):
//   {"status":"Downloading","progressDetail":{"current":1024,"total":4096},"progress":"[===>   ] 1.024kB/4.096kB","id":"a3ed95caeb02"}
// The pull/push code emits ProgressEvents; the API route writes them as those JSON lines and
// the CLI (or the extension) renders the lines, with one redrawn line per layer on a terminal
// and one line per status change elsewhere, as the docker CLI does.
import { humanSize } from '../common/format';

export interface ProgressEvent {
  /** Short layer id (12 hex digits) or the tag; absent for whole-image lines. */
  id?: string;
  /** "Pulling fs layer", "Waiting", "Downloading", "Verifying Checksum", "Download complete",
   * "Already exists", "Pull complete", "Preparing", "Pushing", "Pushed", "Layer already exists",
   * "Mounted from x", or a whole-image line ("Digest: sha256:…"). */
  status: string;
  current?: number;
  total?: number;
}

export type ProgressListener = (event: ProgressEvent) => void;

export interface JsonMessage {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  error?: string;
  errorDetail?: { message: string };
  aux?: unknown;
}

export const shortId = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

/** The bar Docker draws: 50 columns of "=" and ">" then "current/total". */
export function progressBar(current: number, total: number | undefined, width = 50): string {
  if (!total || total <= 0) return humanSize(current);
  const filled = Math.min(width, Math.floor((current / total) * width));
  const bar = filled >= width ? '='.repeat(width) : '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? '>' : '') + ' '.repeat(width - filled);
  return `[${bar.padEnd(width, ' ').slice(0, width)}] ${(humanSize(current) + '/' + humanSize(total)).padStart(18)}`;
}

export function toJsonMessage(e: ProgressEvent): JsonMessage {
  const m: JsonMessage = { status: e.status };
  if (e.id !== undefined) m.id = e.id;
  if (e.id !== undefined) m.progressDetail = e.current !== undefined ? { current: e.current, ...(e.total !== undefined ? { total: e.total } : {}) } : {};
  if (e.current !== undefined) m.progress = progressBar(e.current, e.total);
  return m;
}

export function errorMessage(message: string): JsonMessage {
  return { errorDetail: { message }, error: message };
}

/**
 * Renders a stream of JSON messages for a person. On a terminal each id keeps its line and is
 * redrawn in place (ANSI cursor moves); elsewhere a line is printed when an id's status
 * changes, byte counts left out. Returns the error message if the stream carried one.
 */
export class ProgressDisplay {
  private readonly lines: string[] = [];
  private readonly lastStatus = new Map<string, string>();

  constructor(private readonly write: (text: string) => void, private readonly tty: boolean) {}

  show(m: JsonMessage): string | undefined {
    if (m.error || m.errorDetail) return m.errorDetail?.message ?? m.error;
    if (m.status === undefined) return undefined;
    const text = m.id ? `${m.id}: ${m.status}${m.progress ? ' ' + m.progress : ''}` : m.status;
    if (!this.tty) {
      if (m.id && this.lastStatus.get(m.id) === m.status) return undefined;
      if (m.id) this.lastStatus.set(m.id, m.status);
      this.write(m.id ? `${m.id}: ${m.status}\n` : `${m.status}\n`);
      return undefined;
    }
    if (!m.id) {
      this.write(`${text}\n`);
      return undefined;
    }
    const index = this.lines.indexOf(m.id);
    if (index < 0) {
      this.lines.push(m.id);
      this.write(`${text}\n`);
      return undefined;
    }
    const up = this.lines.length - index;
    // Up to the id's line, clear it, write, then back down to below the last line.
    this.write(`\x1b[${up}A\x1b[2K\r${text}\n${up > 1 ? `\x1b[${up - 1}B` : ''}`);
    return undefined;
  }
}
