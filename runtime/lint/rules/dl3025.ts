import { defineRule, hadolintUrl } from '../rule';
import { execFormFix } from './json-args-recommended';

export default defineRule({
  code: 'DL3025', name: 'json-cmd-entrypoint', family: 'hadolint', severity: 'warning', sameAs: 'JSONArgsRecommended',
  description: 'Use arguments JSON notation for CMD and ENTRYPOINT arguments',
  url: hadolintUrl('DL3025'),
  format: () => 'Use arguments JSON notation for CMD and ENTRYPOINT arguments',
  examples: { bad: [{ source: 'FROM python:3.12-slim\nCMD python -m http.server 8000\n' }], good: [{ source: 'FROM python:3.12-slim\nENTRYPOINT ["python", "-m"]\nCMD ["http.server", "8000"]\n' }] },
  check(ctx, report) {
    for (const instr of ctx.instrs) {
      if ((instr.keyword !== 'CMD' && instr.keyword !== 'ENTRYPOINT') || instr.json || instr.args.length === 0) continue;
      const fix = execFormFix(ctx, instr);
      report({ range: ctx.firstLine(instr), message: this.format(), fixes: fix ? [fix] : [] });
    }
  },
});
