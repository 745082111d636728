import { defineRule, hadolintUrl } from '../rule';
import { cacheMountCovers } from './helpers';
import { YUM_VALUE_FLAGS, installs, later, removesLater } from './packages';

export default defineRule({
  code: 'DL3032', name: 'yum-clean', family: 'hadolint', severity: 'warning',
  description: '`yum clean all` missing after yum command.',
  url: hadolintUrl('DL3032'),
  format: () => '`yum clean all` missing after yum command.',
  examples: { bad: [{ source: 'FROM centos:7\nRUN yum clean all && yum install -y httpd-2.4.6\n' }], good: [{ source: 'FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n' }] },
  check(ctx, report) {
    for (const { instr, script, cmd } of installs(ctx, ['yum'], ['install', 'groupinstall', 'localinstall'], YUM_VALUE_FLAGS)) {
      const cleaned = later(script, cmd).some((c) => c.name === 'yum' && c.args.some((a) => a.value === 'clean') && c.args.some((a) => a.value === 'all'))
        || removesLater(script, cmd, '/var/cache/yum') || cacheMountCovers(script, '/var/cache/yum');
      if (!cleaned) report({ range: ctx.firstLine(instr), message: this.format() });
    }
  },
});
