import { defineRule, hadolintUrl } from '../rule';
import { hasFlag } from './helpers';
import { YUM_VALUE_FLAGS, installs } from './packages';

export default defineRule({
  code: 'DL3030', name: 'yum-yes', family: 'hadolint', severity: 'warning',
  description: 'Use the -y switch to avoid manual input `yum install -y <package>`',
  url: hadolintUrl('DL3030'),
  format: () => 'Use the -y switch to avoid manual input `yum install -y <package`',
  examples: { bad: [{ source: 'FROM centos:7\nRUN yum install httpd-2.4.6 && yum clean all\n' }], good: [{ source: 'FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n' }] },
  check(ctx, report) {
    for (const { script, cmd } of installs(ctx, ['yum'], ['install', 'groupinstall', 'localinstall'], YUM_VALUE_FLAGS)) {
      if (hasFlag(cmd, 'y', '--assumeyes')) continue;
      const w = cmd.nameWord;
      const range = ctx.scriptRange(script, cmd.start, w ? w.end : cmd.end);
      report({ range, message: this.format(), fixes: [{ title: 'Add -y', edits: [{ range: { start: range.end, end: range.end }, newText: ' -y' }] }] });
    }
  },
});
