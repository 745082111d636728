import { defineRule, hadolintUrl } from '../rule';
import { checkLabelValues, isGitHash } from './label-value';

export default defineRule({
  code: 'DL3055', name: 'label-git-hash', family: 'hadolint', severity: 'warning',
  description: 'Label `<label>` is not a valid git hash.',
  url: hadolintUrl('DL3055'),
  format: (label: string) => `Label \`${label}\` is not a valid git hash.`,
  examples: { bad: [{ source: 'FROM alpine:3.20\nLABEL revision="main"\n', config: { labelSchema: { revision: 'hash' } } }], good: [{ source: 'FROM alpine:3.20\nLABEL revision="9fceb02"\n', config: { labelSchema: { revision: 'hash' } } }] },
  check(ctx, report) {
    checkLabelValues(ctx, report, 'hash', isGitHash, (label) => this.format(label));
  },
});
