import { defineRule, hadolintUrl } from '../rule';
import { labelPairs } from './labels';

export default defineRule({
  code: 'DL3049', name: 'label-missing', family: 'hadolint', severity: 'info',
  description: 'Label `<label>` is missing.',
  url: hadolintUrl('DL3049'),
  format: (label: string) => `Label \`${label}\` is missing.`,
  examples: { bad: [{ source: 'FROM alpine:3.20\nRUN true\n', config: { labelSchema: { maintainer: 'text' } } }], good: [{ source: 'FROM alpine:3.20\nLABEL maintainer="Platform Team"\n', config: { labelSchema: { maintainer: 'text' } } }] },
  check(ctx, report) {
    const schema = ctx.config.labelSchema;
    if (!schema) return;
    const pairs = labelPairs(ctx);
    for (const stage of ctx.stages) {
      if (!ctx.isImageStage(stage)) continue;
      const lineage = new Set(ctx.lineage(stage).map((s) => s.index));
      for (const label of Object.keys(schema)) {
        if (!pairs.some((p) => lineage.has(p.instr.stage) && p.key === label)) report({ range: ctx.firstLine(stage.from), message: this.format(label) });
      }
    }
  },
});
