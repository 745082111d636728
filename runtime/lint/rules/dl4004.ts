import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL4004', name: 'one-entrypoint', family: 'hadolint', severity: 'error', sameAs: 'MultipleInstructionsDisallowed', sameAsScope: 'stage',
  description: 'Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect',
  url: hadolintUrl('DL4004'),
  format: () => 'Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect',
  examples: { bad: [{ source: 'FROM alpine:3.20\nENTRYPOINT ["/bin/sh"]\nENTRYPOINT ["/bin/ash"]\n' }], good: [{ source: 'FROM alpine:3.20\nENTRYPOINT ["/bin/sh", "-c"]\nCMD ["echo hi"]\n' }] },
  check(ctx, report) {
    for (const stage of ctx.stages) stage.instrs.filter((i) => i.keyword === 'ENTRYPOINT' && !i.onbuild).slice(1).forEach((i) => report({ range: ctx.firstLine(i), message: this.format() }));
  },
});
