import { defineRule, hadolintUrl } from '../rule';
import { checkLabelValues, isRfc3339 } from './label-value';

export default defineRule({
  code: 'DL3053', name: 'label-rfc3339', family: 'hadolint', severity: 'warning',
  description: 'Label `<label>` is not a valid time format - must conform to RFC3339.',
  url: hadolintUrl('DL3053'),
  format: (label: string) => `Label \`${label}\` is not a valid time format - must conform to RFC3339.`,
  examples: { bad: [{ source: 'FROM alpine:3.20\nLABEL created="2024-06-01"\n', config: { labelSchema: { created: 'rfc3339' } } }], good: [{ source: 'FROM alpine:3.20\nLABEL created="2024-06-01T08:30:00Z"\n', config: { labelSchema: { created: 'rfc3339' } } }] },
  check(ctx, report) {
    checkLabelValues(ctx, report, 'rfc3339', isRfc3339, (label) => this.format(label));
  },
});
