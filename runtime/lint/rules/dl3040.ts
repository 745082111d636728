import { defineRule, hadolintUrl } from '../rule';
import { baseName, cacheMountContaining } from './helpers';
import { YUM_VALUE_FLAGS, installs, later, removesLater } from './packages';

export default defineRule({
  code: 'DL3040', name: 'dnf-clean', family: 'hadolint', severity: 'warning',
  description: '`dnf clean all` missing after dnf command.',
  url: hadolintUrl('DL3040'),
  format: () => '`dnf clean all` missing after dnf command.',
  examples: { bad: [{ source: 'FROM fedora:40\nRUN dnf install -y httpd-2.4.62\n' }], good: [{ source: 'FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n' }] },
  check(ctx, report) {
    const subs = ['install', 'in', 'upgrade', 'up', 'upgrade-minimal', 'up-min', 'reinstall', 'rei'];
    for (const { instr, script, cmd } of installs(ctx, ['dnf', 'microdnf'], subs, YUM_VALUE_FLAGS)) {
      const tool = baseName(cmd.name);
      const cleaned = later(script, cmd).some((c) => baseName(c.name) === tool && c.args.some((a) => a.value === 'clean') && c.args.some((a) => a.value === 'all'))
        || removesLater(script, cmd, '/var/cache/libdnf5') || removesLater(script, cmd, '/var/cache/dnf') || cacheMountContaining(script, 'libdnf5') || cacheMountContaining(script, '/var/cache/dnf');
      if (!cleaned) report({ range: ctx.firstLine(instr), message: this.format() });
    }
  },
});
