import { defineRule, hadolintUrl } from '../rule';
import { checkLabelValues, isSemver } from './label-value';

export default defineRule({
  code: 'DL3056', name: 'label-semver', family: 'hadolint', severity: 'warning',
  description: 'Label `<label>` does not conform to semantic versioning.',
  url: hadolintUrl('DL3056'),
  format: (label: string) => `Label \`${label}\` does not conform to semantic versioning.`,
  examples: { bad: [{ source: 'FROM alpine:3.20\nLABEL version="v2.1"\n', config: { labelSchema: { version: 'semver' } } }], good: [{ source: 'FROM alpine:3.20\nLABEL version="2.1.0-rc.1"\n', config: { labelSchema: { version: 'semver' } } }] },
  check(ctx, report) {
    checkLabelValues(ctx, report, 'semver', isSemver, (label) => this.format(label));
  },
});
