import { buildkitUrl, defineRule } from '../rule';
import type { Instr } from '../context';

const selfConsistent = (s: string): boolean => s === s.toLowerCase() || s === s.toUpperCase();

export default defineRule({
  code: 'ConsistentInstructionCasing', name: 'ConsistentInstructionCasing', family: 'buildkit', severity: 'warning',
  description: 'All commands within the Dockerfile should use the same casing (either upper or lower)',
  url: buildkitUrl('consistent-instruction-casing'),
  format: (command: string, casing: string) => `Command '${command}' should match the case of the command majority (${casing})`,
  examples: {
    bad: [{ source: 'FROM alpine\nRun echo hello\n' }],
    good: [{ source: 'FROM alpine\nRUN echo hello\n' }, { source: 'from alpine\nrun echo hello\n' }],
  },
  check(ctx, report) {
    // BuildKit counts the instructions of stages (FROM and after), not the global ARGs.
    const counted: Instr[] = ctx.instrs.filter((i) => i.stage >= 0 && !i.onbuild);
    let lower = 0, upper = 0;
    for (const i of counted) {
      if (!selfConsistent(i.written)) continue;
      if (i.written === i.written.toLowerCase()) lower++; else upper++;
    }
    const majorityLower = lower > upper;
    for (const i of counted) {
      const want = majorityLower ? i.written.toLowerCase() : i.written.toUpperCase();
      if (i.written === want) continue;
      report({
        range: i.keywordRange, message: this.format(i.written, majorityLower ? 'lowercase' : 'uppercase'),
        fixes: [{ title: `Change to '${want}'`, edits: [{ range: i.keywordRange, newText: want }] }],
      });
    }
  },
});
