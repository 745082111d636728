import { defineRule, hadolintUrl } from '../rule';
import type { Instr, LintContext } from '../context';

function flagsKey(i: Instr): string {
  return i.flags.map((f) => f.raw).sort().join(' ');
}

function commandCount(ctx: LintContext, i: Instr): number {
  const s = ctx.script(i);
  return s.posix ? s.shell.commands.filter((c) => !c.nested).length : 1;
}

export default defineRule({
  code: 'DL3059', name: 'consolidate-runs', family: 'hadolint', severity: 'info',
  description: 'Multiple consecutive `RUN` instructions. Consider consolidation.',
  url: hadolintUrl('DL3059'),
  format: () => 'Multiple consecutive `RUN` instructions. Consider consolidation.',
  examples: { bad: [{ source: 'FROM alpine:3.20\nRUN mkdir -p /data\n# create the user\nRUN adduser -D app\n' }], good: [{ source: 'FROM alpine:3.20\nRUN mkdir -p /data\nWORKDIR /data\nRUN adduser -D app\n' }] },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      const list = stage.instrs.filter((i) => !i.onbuild);
      for (let k = 1; k < list.length; k++) {
        const prev = list[k - 1], cur = list[k];
        if (prev.keyword !== 'RUN' || cur.keyword !== 'RUN' || flagsKey(prev) !== flagsKey(cur)) continue;
        if (commandCount(ctx, prev) > 2 || commandCount(ctx, cur) > 2) continue;
        report({ range: ctx.firstLine(cur), message: this.format() });
      }
    }
  },
});
