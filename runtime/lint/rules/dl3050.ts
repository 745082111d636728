import { defineRule, hadolintUrl } from '../rule';
import { labelPairs } from './labels';

export default defineRule({
  code: 'DL3050', name: 'label-superfluous', family: 'hadolint', severity: 'info',
  description: 'Superfluous label(s) present.',
  url: hadolintUrl('DL3050'),
  format: () => 'Superfluous label(s) present.',
  examples: { bad: [{ source: 'FROM alpine:3.20\nLABEL version=1.0.0 team=core\n', config: { labelSchema: { version: 'semver' }, strictLabels: true } }], good: [{ source: 'FROM alpine:3.20\nLABEL version=1.0.0\n', config: { labelSchema: { version: 'semver' }, strictLabels: true } }] },
  check(ctx, report) {
    const schema = ctx.config.labelSchema;
    if (!schema || !ctx.config.strictLabels) return;
    for (const p of labelPairs(ctx)) if (!(p.key in schema)) report({ range: p.range, message: this.format() });
  },
});
