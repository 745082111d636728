import { defineRule, hadolintUrl } from '../rule';
import { maintainerFix } from './maintainer-deprecated';

export default defineRule({
  code: 'DL4000', name: 'maintainer-deprecated', family: 'hadolint', severity: 'error', sameAs: 'MaintainerDeprecated',
  description: 'MAINTAINER is deprecated',
  url: hadolintUrl('DL4000'),
  format: () => 'MAINTAINER is deprecated',
  examples: { bad: [{ source: 'FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n' }], good: [{ source: 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="jane@example.com"\n' }] },
  check(ctx, report) {
    for (const instr of ctx.of('MAINTAINER', false)) {
      const fix = maintainerFix(ctx, instr);
      report({ range: ctx.firstLine(instr), message: this.format(), fixes: fix ? [fix] : [] });
    }
  },
});
