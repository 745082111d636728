import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL3029', name: 'no-from-platform', family: 'hadolint', severity: 'warning', sameAs: 'FromPlatformFlagConstDisallowed',
  description: 'Do not use --platform flag with FROM',
  url: hadolintUrl('DL3029'),
  format: () => 'Do not use --platform flag with FROM',
  examples: { bad: [{ source: 'FROM --platform=linux/arm64 debian:12\n' }], good: [{ source: 'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n' }] },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      const p = ctx.flag(stage.from, 'platform');
      if (p !== undefined && !/BUILDPLATFORM|TARGETPLATFORM/.test(p)) report({ range: ctx.firstLine(stage.from), message: this.format() });
    }
  },
});
