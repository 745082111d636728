// The latest lint findings per document version, shared by the diagnostics (which compute them)
// and the quick fixes (which turn their `fixes` into edits). Pure.
import type { Finding } from '../../runtime/lint/types';
import type { Range } from './model';

export class FindingStore {
  private readonly byDoc = new Map<string, { version: number; findings: Finding[] }>();

  set(uri: string, version: number, findings: Finding[]): void { this.byDoc.set(uri, { version, findings }); }
  delete(uri: string): void { this.byDoc.delete(uri); }

  /** Findings of that exact version whose range touches `range` (stale versions give none). */
  at(uri: string, version: number, range: Range): Finding[] {
    const entry = this.byDoc.get(uri);
    if (!entry || entry.version !== version) return [];
    return entry.findings.filter((f) => touches(f.range, range));
  }
}

const before = (a: Range['start'], b: Range['start']): boolean => a.line < b.line || (a.line === b.line && a.character < b.character);

export function touches(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}
