import { defineRule, hadolintUrl } from '../rule';
import { unquotedArgs } from './helpers';

export default defineRule({
  code: 'DL3021', name: 'copy-dest-slash', family: 'hadolint', severity: 'error',
  description: 'COPY with more than 2 arguments requires the last argument to end with /',
  url: hadolintUrl('DL3021'),
  format: () => 'COPY with more than 2 arguments requires the last argument to end with /',
  examples: { bad: [{ source: 'FROM alpine:3.20\nCOPY a.conf b.conf /etc/app\n' }], good: [{ source: 'FROM alpine:3.20\nCOPY a.conf b.conf /etc/app/\n' }] },
  check(ctx, report) {
    for (const instr of ctx.of('COPY')) {
      if (instr.args.length < 3 || instr.args.some((a) => /^<<-?["']?\w/.test(a))) continue;
      const dest = unquotedArgs(ctx, instr).at(-1)!;
      if (dest.endsWith('/') || dest.endsWith('\\') || dest.includes('$')) continue;
      const args = instr.words;
      const last = args[args.length - 1];
      const fixes = !instr.json && last ? [{ title: 'Add a trailing /', edits: [{ range: { start: last.range.end, end: last.range.end }, newText: '/' }] }] : [];
      report({ range: ctx.firstLine(instr), message: this.format(), fixes });
    }
  },
});
