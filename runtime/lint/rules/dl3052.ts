import { defineRule, hadolintUrl } from '../rule';
import { checkLabelValues, isUrl } from './label-value';

export default defineRule({
  code: 'DL3052', name: 'label-url', family: 'hadolint', severity: 'warning',
  description: 'Label `<label>` is not a valid URL.',
  url: hadolintUrl('DL3052'),
  format: (label: string) => `Label \`${label}\` is not a valid URL.`,
  examples: { bad: [{ source: 'FROM alpine:3.20\nLABEL homepage="www.example.com"\n', config: { labelSchema: { homepage: 'url' } } }], good: [{ source: 'FROM alpine:3.20\nLABEL homepage="https://www.example.com/"\n', config: { labelSchema: { homepage: 'url' } } }] },
  check(ctx, report) {
    checkLabelValues(ctx, report, 'url', isUrl, (label) => this.format(label));
  },
});
