import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL3043', name: 'onbuild-forbidden-trigger', family: 'hadolint', severity: 'error',
  description: '`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.',
  url: hadolintUrl('DL3043'),
  format: () => '`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.',
  examples: { bad: [{ source: 'FROM alpine:3.20\nONBUILD ONBUILD RUN echo nested\n' }], good: [{ source: 'FROM alpine:3.20\nONBUILD COPY . /app\n' }] },
  check(ctx, report) {
    for (const instr of ctx.of('ONBUILD', false)) {
      const trigger = instr.trigger?.keyword;
      if (trigger === 'ONBUILD' || trigger === 'FROM' || trigger === 'MAINTAINER') report({ range: ctx.firstLine(instr), message: this.format() });
    }
  },
});
