import { defineRule, hadolintUrl } from '../rule';
import { YUM_VALUE_FLAGS, installs, rpmPinned } from './packages';

export default defineRule({
  code: 'DL3033', name: 'yum-pin-versions', family: 'hadolint', severity: 'warning',
  description: 'Specify version with `yum install -y <package>-<version>`.',
  url: hadolintUrl('DL3033'),
  format: () => 'Specify version with `yum install -y <package>-<version>`.',
  examples: {
    bad: [{ source: 'FROM centos:7\nRUN yum install -y python3-pip && yum clean all\n' }],
    good: [{ source: 'FROM centos:7\nARG HTTPD_VERSION=2.4.6\nRUN yum install -y httpd-${HTTPD_VERSION} python3-pip-9.0.3 && yum clean all\n' }],
  },
  check(ctx, report) {
    for (const { instr, script, packages } of installs(ctx, ['yum'], ['install', 'groupinstall', 'localinstall'], YUM_VALUE_FLAGS)) {
      const bad = packages.find((p) => !rpmPinned(ctx, instr, p.value));
      if (bad) report({ range: ctx.scriptRange(script, bad.start, bad.end), message: this.format() });
    }
    for (const { script, packages } of installs(ctx, ['yum'], ['module'], YUM_VALUE_FLAGS)) {
      if (packages[0]?.value !== 'install') continue;
      const bad = packages.slice(1).find((p) => !p.value.includes(':'));
      if (bad) report({ range: ctx.scriptRange(script, bad.start, bad.end), message: this.format() });
    }
  },
});
