import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL3061', name: 'from-first', family: 'hadolint', severity: 'error',
  description: 'Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.',
  url: hadolintUrl('DL3061'),
  format: () => 'Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.',
  examples: { bad: [{ source: 'ENV TZ=UTC\nFROM alpine:3.20\n' }], good: [{ source: '# syntax=docker/dockerfile:1\nARG ALPINE_VERSION=3.20\nFROM alpine:${ALPINE_VERSION}\n' }] },
  check(ctx, report) {
    for (const instr of ctx.instrs) {
      if (instr.keyword === 'FROM') break;
      if (instr.keyword !== 'ARG') report({ range: ctx.firstLine(instr), message: this.format() });
    }
  },
});
