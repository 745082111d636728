import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL3022', name: 'copy-from-known-stage', family: 'hadolint', severity: 'warning',
  description: 'COPY --from should reference a previously defined FROM alias',
  url: hadolintUrl('DL3022'),
  format: () => 'COPY --from should reference a previously defined FROM alias',
  examples: {
    bad: [{ source: 'FROM alpine:3.20\nCOPY --from=builder /out/app /usr/local/bin/app\n' }],
    good: [{ source: 'FROM golang:1.22 AS builder\nFROM alpine:3.20\nCOPY --from=builder /out/app /usr/local/bin/app\nCOPY --from=0 /out/app /usr/local/bin/app2\nCOPY --from=nginx:1.27.0 /etc/nginx/nginx.conf /tmp/nginx.conf\n' }],
  },
  check(ctx, report) {
    for (const instr of ctx.of('COPY')) {
      const from = ctx.flag(instr, 'from');
      if (from === undefined || from.includes(':') || from.includes('$')) continue;
      // Stages up to this one (no array per COPY: files with 60 stages and 40 COPYs exist).
      const lower = from.toLowerCase();
      let known = /^\d+$/.test(from) && Number(from) < instr.stage + 1;
      for (let i = 0; !known && i <= instr.stage && i < ctx.stages.length; i++) known = ctx.stages[i].name?.toLowerCase() === lower;
      if (!known) report({ range: ctx.firstLine(instr), message: this.format() });
    }
  },
});
