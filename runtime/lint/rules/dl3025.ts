import { defineRule, hadolintUrl } from '../rule';
import { execFormFix } from './json-args-recommended';

export default defineRule({
  code: 'DL3025', name: 'json-cmd-entrypoint', family: 'hadolint', severity: 'warning', sameAs: 'JSONArgsRecommended',
  description: 'Use arguments JSON notation for CMD and ENTRYPOINT arguments (and HEALTHCHECK CMD)',
  url: hadolintUrl('DL3025'),
  format: () => 'Use arguments JSON notation for CMD and ENTRYPOINT arguments',
  examples: { bad: [{ source: 'FROM python:3.12-slim\nCMD python -m http.server 8000\n' }], good: [{ source: 'FROM python:3.12-slim\nENTRYPOINT ["python", "-m"]\nCMD ["http.server", "8000"]\n' }] },
  check(ctx, report) {
    for (const instr of ctx.instrs) {
      // HEALTHCHECK CMD in shell form too (`HEALTHCHECK CMD curl -f … || exit 1`).
      if (instr.keyword === 'HEALTHCHECK') {
        const i = instr.args.findIndex((a) => a.toUpperCase() === 'CMD');
        if (i >= 0 && instr.args[i + 1] !== undefined && !instr.args[i + 1].startsWith('[')) report({ range: ctx.firstLine(instr), message: this.format() });
        continue;
      }
      if ((instr.keyword !== 'CMD' && instr.keyword !== 'ENTRYPOINT') || instr.json || instr.args.length === 0) continue;
      const fix = execFormFix(ctx, instr);
      report({ range: ctx.firstLine(instr), message: this.format(), fixes: fix ? [fix] : [] });
    }
  },
});
