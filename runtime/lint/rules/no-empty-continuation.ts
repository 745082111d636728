import { buildkitUrl, defineRule } from '../rule';

export default defineRule({
  code: 'NoEmptyContinuation', name: 'NoEmptyContinuation', family: 'buildkit', severity: 'warning',
  description: 'Empty continuation lines will become errors in a future release',
  url: buildkitUrl('no-empty-continuation'),
  format: () => 'Empty continuation line',
  examples: {
    bad: [{ source: 'FROM alpine\nRUN apk add \\\n\n    curl\n' }],
    good: [{ source: 'FROM alpine\nRUN apk add \\\n# the HTTP client\n    curl\n' }],
  },
  check(ctx, report) {
    for (const instr of ctx.instrs) {
      if (instr.onbuild) continue;
      const { start, end } = instr.range;
      const heredocStart = /<<-?["']?\w/.test(ctx.lineText(start.line)) ? start.line : Infinity;
      for (let l = start.line + 1; l <= end.line && l <= heredocStart; l++) {
        if (ctx.lineText(l).trim() !== '') continue;
        // Reported once per instruction, at the instruction, as BuildKit does; the fix removes
        // every empty line inside this continuation.
        const edits = [];
        for (let k = start.line + 1; k <= end.line; k++) {
          if (ctx.lineText(k).trim() === '') edits.push({ range: { start: { line: k, character: 0 }, end: { line: k + 1, character: 0 } }, newText: '' });
        }
        report({ range: ctx.firstLine(instr), message: this.format(), fixes: [{ title: 'Remove empty continuation lines', edits }] });
        break;
      }
    }
  },
});
