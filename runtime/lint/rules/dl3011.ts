import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL3011', name: 'valid-port', family: 'hadolint', severity: 'error',
  description: 'Valid UNIX ports range from 0 to 65535',
  url: hadolintUrl('DL3011'),
  format: () => 'Valid UNIX ports range from 0 to 65535',
  examples: { bad: [{ source: 'FROM alpine:3.20\nEXPOSE 70000\n' }], good: [{ source: 'FROM alpine:3.20\nEXPOSE 8080/tcp 5000-5010\n' }] },
  check(ctx, report) {
    for (const instr of ctx.of('EXPOSE')) {
      for (const arg of instr.words) {
        const port = arg.value.split('/')[0].split(':').pop() ?? '';
        if (port.includes('$')) continue;
        const bad = port.split('-').some((p) => /^\d+$/.test(p) && Number(p) > 65535);
        if (bad) report({ range: arg.range, message: this.format() });
      }
    }
  },
});
