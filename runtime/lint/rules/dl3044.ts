import { defineRule, hadolintUrl } from '../rule';
import { varRefs } from './helpers';

export default defineRule({
  code: 'DL3044', name: 'env-self-reference', family: 'hadolint', severity: 'error',
  description: 'Do not refer to an environment variable within the same `ENV` statement where it is defined.',
  url: hadolintUrl('DL3044'),
  format: () => 'Do not refer to an environment variable within the same `ENV` statement where it is defined.',
  examples: { bad: [{ source: 'FROM alpine:3.20\nENV APP_HOME=/opt/app APP_BIN=${APP_HOME}/bin\n' }], good: [{ source: 'FROM alpine:3.20\nENV APP_HOME=/opt/app\nENV APP_BIN=${APP_HOME}/bin PATH=/opt/app/bin:$PATH\n' }] },
  check(ctx, report) {
    const defined = new Set<string>();
    for (const instr of ctx.instrs) {
      if (instr.keyword !== 'ENV' && instr.keyword !== 'ARG') continue;
      const pairs = instr.args.filter((a) => a.includes('=')).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]);
      if (instr.keyword === 'ENV' && pairs.length > 1) {
        const here = new Set(pairs.map(([k]) => k));
        const bad = pairs.some(([k, v]) => varRefs(v, ctx.escape).some((r) => r.name !== k && here.has(r.name) && !defined.has(r.name)));
        if (bad) report({ range: ctx.firstLine(instr), message: this.format() });
      }
      if (instr.keyword === 'ENV' || instr.keyword === 'ARG') for (const a of instr.args) defined.add(a.split('=')[0]);
    }
  },
});
