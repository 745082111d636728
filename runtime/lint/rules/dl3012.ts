import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL3012', name: 'one-healthcheck', family: 'hadolint', severity: 'error', sameAs: 'MultipleInstructionsDisallowed', sameAsScope: 'stage',
  description: 'Multiple `HEALTHCHECK` instructions',
  url: hadolintUrl('DL3012'),
  format: () => 'Multiple `HEALTHCHECK` instructions',
  examples: {
    bad: [{ source: 'FROM nginx:1.27.0\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK --interval=10s CMD curl -f http://localhost/ || exit 1\n' }],
    good: [{ source: 'FROM nginx:1.27.0 AS a\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nFROM nginx:1.27.0 AS b\nHEALTHCHECK NONE\n' }],
  },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      stage.instrs.filter((i) => i.keyword === 'HEALTHCHECK' && !i.onbuild).slice(1).forEach((i) => report({ range: ctx.firstLine(i), message: this.format() }));
    }
  },
});
