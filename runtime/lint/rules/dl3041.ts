import { defineRule, hadolintUrl } from '../rule';
import { YUM_VALUE_FLAGS, installs, rpmPinned } from './packages';

export default defineRule({
  code: 'DL3041', name: 'dnf-pin-versions', family: 'hadolint', severity: 'warning',
  description: 'Specify version with `dnf install -y <package>-<version>`.',
  url: hadolintUrl('DL3041'),
  format: () => 'Specify version with `dnf install -y <package>-<version>`.',
  examples: { bad: [{ source: 'FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n' }], good: [{ source: 'FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf module install -y nodejs:20 && dnf clean all\n' }] },
  check(ctx, report) {
    for (const { instr, script, packages } of installs(ctx, ['dnf', 'microdnf'], ['install'], YUM_VALUE_FLAGS)) {
      const bad = packages.find((p) => !rpmPinned(ctx, instr, p.value));
      if (bad) report({ range: ctx.scriptRange(script, bad.start, bad.end), message: this.format() });
    }
    for (const { script, packages } of installs(ctx, ['dnf', 'microdnf'], ['module'], YUM_VALUE_FLAGS)) {
      if (packages[0]?.value !== 'install') continue;
      const bad = packages.slice(1).find((p) => !p.value.includes(':'));
      if (bad) report({ range: ctx.scriptRange(script, bad.start, bad.end), message: this.format() });
    }
  },
});
