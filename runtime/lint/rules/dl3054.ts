import { defineRule, hadolintUrl } from '../rule';
import { checkLabelValues, isSpdx } from './label-value';

export default defineRule({
  code: 'DL3054', name: 'label-spdx', family: 'hadolint', severity: 'warning',
  description: 'Label `<label>` is not a valid SPDX identifier.',
  url: hadolintUrl('DL3054'),
  format: (label: string) => `Label \`${label}\` is not a valid SPDX identifier.`,
  examples: { bad: [{ source: 'FROM alpine:3.20\nLABEL license="Apache 2"\n', config: { labelSchema: { license: 'spdx' } } }], good: [{ source: 'FROM alpine:3.20\nLABEL license="Apache-2.0"\n', config: { labelSchema: { license: 'spdx' } } }] },
  check(ctx, report) {
    checkLabelValues(ctx, report, 'spdx', isSpdx, (label) => this.format(label));
  },
});
