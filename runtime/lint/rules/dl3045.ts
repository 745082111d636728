import { defineRule, hadolintUrl } from '../rule';
import { unquotedArgs } from './helpers';

export default defineRule({
  code: 'DL3045', name: 'copy-relative-without-workdir', family: 'hadolint', severity: 'warning',
  description: '`COPY` to a relative destination without `WORKDIR` set.',
  url: hadolintUrl('DL3045'),
  format: () => '`COPY` to a relative destination without `WORKDIR` set.',
  examples: { bad: [{ source: 'FROM node:20-alpine\nCOPY package.json ./\n' }], good: [{ source: 'FROM node:20-alpine AS base\nWORKDIR /app\nFROM base\nCOPY package.json ./\n' }] },
  check(ctx, report) {
    for (const instr of ctx.of('COPY', false)) {
      const stage = ctx.stageOf(instr);
      if (!stage || instr.args.length < 2) continue;
      const dest = unquotedArgs(ctx, instr).at(-1)!;
      if (dest.startsWith('/') || dest.startsWith('$') || /^[A-Za-z]:[\\/]/.test(dest) || dest.startsWith('\\')) continue;
      const workdir = ctx.lineage(stage).some((s) => s.instrs.some((i) => i.keyword === 'WORKDIR' && !i.onbuild && (s !== stage || i.range.start.line < instr.range.start.line)));
      if (!workdir) report({ range: ctx.firstLine(instr), message: this.format() });
    }
  },
});
