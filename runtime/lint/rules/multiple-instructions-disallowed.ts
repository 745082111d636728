import { buildkitUrl, defineRule } from '../rule';
import type { Instr } from '../context';

export default defineRule({
  code: 'MultipleInstructionsDisallowed', name: 'MultipleInstructionsDisallowed', family: 'buildkit', severity: 'warning',
  description: 'Multiple instructions of the same type should not be used in the same stage',
  url: buildkitUrl('multiple-instructions-disallowed'),
  format: (instruction: string) => `Multiple ${instruction} instructions should not be used in the same stage because only the last one will be used`,
  examples: {
    bad: [{ source: 'FROM alpine\nCMD ["a"]\nCMD ["b"]\n' }],
    good: [{ source: 'FROM alpine\nHEALTHCHECK CMD ["true"]\nCMD ["b"]\n' }],
  },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      const last = new Map<string, Instr>();
      for (const instr of stage.instrs) {
        if (instr.onbuild || !['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(instr.keyword)) continue;
        const prev = last.get(instr.keyword);
        // Reported at the earlier one: it is the instruction that has no effect.
        if (prev) {
          const del = { start: prev.range.start, end: { line: prev.range.end.line + 1, character: 0 } };
          report({ range: ctx.firstLine(prev), message: this.format(prev.keyword), fixes: [{ title: `Remove the overridden ${prev.keyword}`, edits: [{ range: del, newText: '' }] }] });
        }
        last.set(instr.keyword, instr);
      }
    }
  },
});
