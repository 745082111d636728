import { defineRule, hadolintUrl } from '../rule';
import { APT_GET_VALUE_FLAGS, installs } from './packages';

export default defineRule({
  code: 'DL3008', name: 'apt-get-pin-versions', family: 'hadolint', severity: 'warning',
  description: 'Pin versions in apt-get install',
  url: hadolintUrl('DL3008'),
  format: () => 'Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`',
  examples: {
    bad: [{ source: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n' }],
    good: [{ source: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*\n' }],
  },
  check(ctx, report) {
    for (const { instr, script, packages } of installs(ctx, ['apt-get'], ['install'], APT_GET_VALUE_FLAGS)) {
      const unpinned = packages.find((p) => !p.value.includes('=') && !p.value.includes('/') && !p.value.endsWith('.deb'));
      if (unpinned) report({ range: ctx.scriptRange(script, unpinned.start, unpinned.end), message: this.format() });
      void instr;
    }
  },
});
