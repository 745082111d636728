import { defineRule, hadolintUrl } from '../rule';
import { ZYPPER_VALUE_FLAGS, installs } from './packages';

export default defineRule({
  code: 'DL3035', name: 'zypper-no-dist-upgrade', family: 'hadolint', severity: 'warning',
  description: 'Do not use `zypper dist-upgrade`.',
  url: hadolintUrl('DL3035'),
  format: () => 'Do not use `zypper dist-upgrade`.',
  examples: { bad: [{ source: 'FROM opensuse/leap:15.6\nRUN zypper -n dup\n' }], good: [{ source: 'FROM opensuse/leap:15.6\nRUN zypper -n refresh\n' }] },
  check(ctx, report) {
    for (const { instr } of installs(ctx, ['zypper'], ['dist-upgrade', 'dup'], ZYPPER_VALUE_FLAGS)) report({ range: ctx.firstLine(instr), message: this.format() });
  },
});
