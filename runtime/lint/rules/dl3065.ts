import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL3065', name: 'redundant-target-platform', family: 'hadolint', severity: 'warning', sameAs: 'RedundantTargetPlatform',
  description: '`FROM --platform=$TARGETPLATFORM` is redundant',
  url: hadolintUrl('DL3065'),
  format: () => 'Setting `--platform=$TARGETPLATFORM` in FROM is redundant: it is the default',
  examples: { bad: [{ source: 'FROM --platform=${TARGETPLATFORM} alpine:3.20\n' }], good: [{ source: 'FROM --platform=$BUILDPLATFORM alpine:3.20\n' }] },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      const p = ctx.flag(stage.from, 'platform');
      if (p === '$TARGETPLATFORM' || p === '${TARGETPLATFORM}') report({ range: ctx.firstLine(stage.from), message: this.format() });
    }
  },
});
