import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL3023', name: 'copy-from-self', family: 'hadolint', severity: 'error',
  description: 'COPY --from cannot reference its own FROM alias',
  url: hadolintUrl('DL3023'),
  format: () => 'COPY --from cannot reference its own FROM alias',
  examples: { bad: [{ source: 'FROM alpine:3.20 AS final\nCOPY --from=final /etc/os-release /tmp/\n' }], good: [{ source: 'FROM alpine:3.20 AS base\nFROM alpine:3.20 AS final\nCOPY --from=base /etc/os-release /tmp/\n' }] },
  check(ctx, report) {
    for (const instr of ctx.of('COPY')) {
      const from = ctx.flag(instr, 'from')?.toLowerCase();
      const stage = ctx.stageOf(instr);
      if (from && stage && (stage.name?.toLowerCase() === from || from === String(stage.index))) report({ range: ctx.firstLine(instr), message: this.format() });
    }
  },
});
