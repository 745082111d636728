// Folding ranges: stages, instructions spanning several lines (continuations, heredocs),
// heredoc bodies and blocks of consecutive comment lines. Pure; 0-based inclusive lines.
import type { Model } from './model';

export interface Fold { start: number; end: number; kind?: 'comment' }

export function foldingRanges(m: Model): Fold[] {
  const out: Fold[] = [];
  for (const s of m.stages) out.push({ start: s.range.start.line, end: s.range.end.line });
  for (const i of m.instructions) {
    const r = i.range;
    out.push({ start: r.start.line, end: r.end.line });
    // Each heredoc folds from the line that opens it (the command line, just above the first
    // body) to its terminator.
    const opens = i.heredocs.length > 0 ? i.heredocs[0].range.start.line - 1 : 0;
    for (const h of i.heredocs) out.push({ start: opens, end: h.range.end.line });
  }
  // Comment blocks from the text, also those inside continuations.
  let blockStart = -1;
  m.lines.forEach((text, n) => {
    const isComment = /^\s*#/.test(text);
    if (isComment && blockStart < 0) blockStart = n;
    if (!isComment && blockStart >= 0) {
      out.push({ start: blockStart, end: n - 1, kind: 'comment' });
      blockStart = -1;
    }
  });
  if (blockStart >= 0) out.push({ start: blockStart, end: m.lines.length - 1, kind: 'comment' });
  const seen = new Set<string>();
  return out
    .filter((f) => f.end > f.start)
    .filter((f) => { const k = `${f.start}:${f.end}`; if (seen.has(k)) return false; seen.add(k); return true; })
    .sort((a, b) => a.start - b.start || b.end - a.end);
}
