// Test helper: a Dockerfile with one `¦` marking the cursor → the model and the position.
import { buildModel, type Model, type Position } from '../../../../extension/language/model';

export function withCursor(marked: string): { model: Model; pos: Position; text: string } {
  const offset = marked.indexOf('¦');
  if (offset < 0) throw new Error(`no ¦ cursor in ${JSON.stringify(marked)}`);
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  return { model: buildModel(text), pos: { line: before.length - 1, character: before[before.length - 1].length }, text };
}

/** Applies non-overlapping edits given as 0-based ranges to a text. */
export function applyEdits(text: string, edits: Array<{ range: { start: Position; end: Position }; newText: string }>): string {
  const lines = text.split('\n');
  const offsetOf = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start))
    .reduce((t, e) => t.slice(0, offsetOf(e.range.start)) + e.newText + t.slice(offsetOf(e.range.end)), text);
}
