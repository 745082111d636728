import { defineRule, hadolintUrl } from '../rule';
import { hasFlag } from './helpers';
import { ZYPPER_VALUE_FLAGS, installs } from './packages';

export const ZYPPER_INSTALL = ['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch'];

export default defineRule({
  code: 'DL3034', name: 'zypper-non-interactive', family: 'hadolint', severity: 'warning',
  description: 'Non-interactive switch missing from `zypper` command: `zypper install -y`',
  url: hadolintUrl('DL3034'),
  format: () => 'Non-interactive switch missing from `zypper` command: `zypper install -y`',
  examples: { bad: [{ source: 'FROM opensuse/leap:15.6\nRUN zypper install nginx=1.21.5 && zypper clean\n' }], good: [{ source: 'FROM opensuse/leap:15.6\nRUN zypper -n install nginx=1.21.5 && zypper clean\n' }] },
  check(ctx, report) {
    for (const { script, cmd } of installs(ctx, ['zypper'], ZYPPER_INSTALL, ZYPPER_VALUE_FLAGS)) {
      if (hasFlag(cmd, 'ny', '--non-interactive', '--no-confirm')) continue;
      const w = cmd.nameWord;
      const range = ctx.scriptRange(script, cmd.start, w ? w.end : cmd.end);
      report({ range, message: this.format(), fixes: [{ title: 'Add -n', edits: [{ range: { start: range.end, end: range.end }, newText: ' -n' }] }] });
    }
  },
});
