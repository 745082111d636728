import { defineRule, hadolintUrl } from '../rule';
import { labelPairs } from './labels';

export default defineRule({
  code: 'DL3051', name: 'label-empty', family: 'hadolint', severity: 'warning',
  description: 'Label `<label>` is empty.',
  url: hadolintUrl('DL3051'),
  format: (label: string) => `Label \`${label}\` is empty.`,
  examples: { bad: [{ source: 'FROM alpine:3.20\nLABEL maintainer=""\n', config: { labelSchema: { maintainer: 'text' } } }], good: [{ source: 'FROM alpine:3.20\nLABEL maintainer="Platform Team"\n', config: { labelSchema: { maintainer: 'text' } } }] },
  check(ctx, report) {
    const schema = ctx.config.labelSchema;
    if (!schema) return;
    for (const p of labelPairs(ctx)) if (p.key in schema && p.value.trim() === '') report({ range: p.range, message: this.format(p.key) });
  },
});
