import { defineRule, hadolintUrl } from '../rule';
import { checkLabelValues, isEmail } from './label-value';

export default defineRule({
  code: 'DL3058', name: 'label-email', family: 'hadolint', severity: 'warning',
  description: 'Label `<label>` is not a valid email format - must conform to RFC5322.',
  url: hadolintUrl('DL3058'),
  format: (label: string) => `Label \`${label}\` is not a valid email format - must conform to RFC5322.`,
  examples: { bad: [{ source: 'FROM alpine:3.20\nLABEL contact="ops at example.com"\n', config: { labelSchema: { contact: 'email' } } }], good: [{ source: 'FROM alpine:3.20\nLABEL contact="ops@example.com"\n', config: { labelSchema: { contact: 'email' } } }] },
  check(ctx, report) {
    checkLabelValues(ctx, report, 'email', isEmail, (label) => this.format(label));
  },
});
