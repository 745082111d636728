import { defineRule, hadolintUrl } from '../rule';
import { cacheMountCovers } from './helpers';
import { ZYPPER_VALUE_FLAGS, installs, later } from './packages';

export default defineRule({
  code: 'DL3036', name: 'zypper-clean', family: 'hadolint', severity: 'warning',
  description: '`zypper clean` missing after zypper use.',
  url: hadolintUrl('DL3036'),
  format: () => '`zypper clean` missing after zypper use.',
  examples: { bad: [{ source: 'FROM opensuse/leap:15.6\nRUN zypper -n install nginx=1.21.5\n' }], good: [{ source: 'FROM opensuse/leap:15.6\nRUN zypper -n install nginx=1.21.5 && zypper clean -a\n' }] },
  check(ctx, report) {
    for (const { instr, script, cmd } of installs(ctx, ['zypper'], ['install', 'in'], ZYPPER_VALUE_FLAGS)) {
      const cleaned = later(script, cmd).some((c) => c.name === 'zypper' && c.args.some((a) => a.value === 'clean' || a.value === 'cc')) || cacheMountCovers(script, '/var/cache/zypp');
      if (!cleaned) report({ range: ctx.firstLine(instr), message: this.format() });
    }
  },
});
