import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL4003', name: 'one-cmd', family: 'hadolint', severity: 'warning', sameAs: 'MultipleInstructionsDisallowed', sameAsScope: 'stage',
  description: 'Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect',
  url: hadolintUrl('DL4003'),
  format: () => 'Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect',
  examples: { bad: [{ source: 'FROM alpine:3.20\nCMD ["sh"]\nCMD ["ash"]\n' }], good: [{ source: 'FROM alpine:3.20 AS a\nCMD ["sh"]\nFROM alpine:3.20 AS b\nCMD ["ash"]\n' }] },
  check(ctx, report) {
    for (const stage of ctx.stages) stage.instrs.filter((i) => i.keyword === 'CMD' && !i.onbuild).slice(1).forEach((i) => report({ range: ctx.firstLine(i), message: this.format() }));
  },
});
