import { buildkitUrl, defineRule } from '../rule';
import { varRefs } from './helpers';

export default defineRule({
  code: 'FromPlatformFlagConstDisallowed', name: 'FromPlatformFlagConstDisallowed', family: 'buildkit', severity: 'warning',
  description: 'FROM --platform flag should not use a constant value',
  url: buildkitUrl('from-platform-flag-const-disallowed'),
  format: (platform: string) => `FROM --platform flag should not use constant value ${JSON.stringify(platform)}`,
  examples: {
    bad: [{ source: 'FROM --platform=linux/amd64 alpine AS base\n' }],
    good: [{ source: 'FROM --platform=$BUILDPLATFORM alpine AS base\n' }, { source: 'FROM --platform=linux/arm64 alpine AS build_arm64\n' }],
  },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      const flag = stage.from.flags.find((f) => f.name.toLowerCase() === 'platform');
      const value = flag?.value; // unquoted already (dockerfile/located.ts)
      if (!flag || !value || varRefs(value, ctx.escape).length > 0) continue;
      // containerd's platform syntax: os[/arch[/variant]]; anything else fails the build later.
      const m = /^([a-z0-9_-]+)(?:\/([a-z0-9_-]+)(?:\/([a-z0-9_.-]+))?)?$/i.exec(value);
      if (!m) continue;
      const os = m[1].toLowerCase();
      const arch = (m[2] ?? '').toLowerCase();
      // A stage named after the platform (build_arm64, windows-base) is platform-specific on purpose.
      const name = (stage.name ?? '').toLowerCase();
      if (name.includes(os) || (arch && name.includes(arch))) continue;
      report({ range: flag.range, message: this.format(value) });
    }
  },
});
