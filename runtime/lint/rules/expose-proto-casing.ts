import { buildkitUrl, defineRule } from '../rule';

export default defineRule({
  code: 'ExposeProtoCasing', name: 'ExposeProtoCasing', family: 'buildkit', severity: 'warning',
  description: 'Protocol in EXPOSE instruction should be lowercase',
  url: buildkitUrl('expose-proto-casing'),
  format: (port: string) => `Defined protocol '${port}' in EXPOSE instruction should be lowercase`,
  examples: { bad: [{ source: 'FROM alpine\nEXPOSE 80/TcP\n' }], good: [{ source: 'FROM alpine\nEXPOSE 80/tcp\n' }] },
  check(ctx, report) {
    for (const instr of ctx.of('EXPOSE', false)) {
      for (const arg of instr.words) {
        const raw = arg.value;
        const slash = raw.lastIndexOf('/');
        if (slash < 0) continue;
        const proto = raw.slice(slash + 1);
        if (proto === proto.toLowerCase()) continue;
        const fixed = raw.slice(0, slash + 1) + proto.toLowerCase();
        report({ range: arg.range, message: this.format(raw), fixes: [{ title: `Change to '${fixed}'`, edits: [{ range: arg.range, newText: fixed }] }] });
      }
    }
  },
});
