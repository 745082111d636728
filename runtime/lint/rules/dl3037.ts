import { defineRule, hadolintUrl } from '../rule';
import { ZYPPER_VALUE_FLAGS, installs } from './packages';

export default defineRule({
  code: 'DL3037', name: 'zypper-pin-versions', family: 'hadolint', severity: 'warning',
  description: 'Specify version with `zypper install -y <package>=<version>`.',
  url: hadolintUrl('DL3037'),
  format: () => 'Specify version with `zypper install -y <package>=<version>`.',
  examples: { bad: [{ source: 'FROM opensuse/leap:15.6\nRUN zypper -n install nginx && zypper clean\n' }], good: [{ source: 'FROM opensuse/leap:15.6\nRUN zypper -n install nginx=1.21.5 && zypper clean\n' }] },
  check(ctx, report) {
    for (const { script, packages } of installs(ctx, ['zypper'], ['install', 'in'], ZYPPER_VALUE_FLAGS)) {
      const bad = packages.find((p) => !/(=|>=|>|<=|<)/.test(p.value) && !p.value.endsWith('.rpm'));
      if (bad) report({ range: ctx.scriptRange(script, bad.start, bad.end), message: this.format() });
    }
  },
});
