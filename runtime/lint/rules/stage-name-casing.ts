import { buildkitUrl, defineRule } from '../rule';
import type { TextEdit } from '../types';

export default defineRule({
  code: 'StageNameCasing', name: 'StageNameCasing', family: 'buildkit', severity: 'warning',
  description: 'Stage names should be lowercase',
  url: buildkitUrl('stage-name-casing'),
  format: (stage: string) => `Stage name '${stage}' should be lowercase`,
  examples: { bad: [{ source: 'FROM alpine AS BuilderBase\n' }], good: [{ source: 'FROM alpine AS builder-base\n' }] },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      const range = stage.nameRange;
      if (!stage.name || !range || stage.name === stage.name.toLowerCase()) continue;
      // Renaming a stage must rename its uses too: FROM <stage> and --from=<stage>.
      const lower = stage.name.toLowerCase();
      const edits: TextEdit[] = [{ range, newText: lower }];
      for (const other of ctx.stages) {
        const r = other.imageRange;
        if (other.index > stage.index && r && other.image.toLowerCase() === lower) edits.push({ range: r, newText: lower });
      }
      for (const instr of ctx.instrs) {
        for (const f of instr.flags) {
          const vr = f.valueRange;
          if (f.name.toLowerCase() === 'from' && vr && f.value?.toLowerCase() === lower) edits.push({ range: vr, newText: lower });
        }
      }
      report({ range, message: this.format(stage.name), fixes: [{ title: `Rename stage to '${lower}'`, edits }] });
    }
  },
});
