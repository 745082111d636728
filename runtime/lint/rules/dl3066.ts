import { defineRule, hadolintUrl } from '../rule';
import { declared } from './packages';

export default defineRule({
  code: 'DL3066', name: 'numeric-user', family: 'hadolint', severity: 'info',
  description: 'Use a numeric user id in USER',
  url: hadolintUrl('DL3066'),
  format: (user: string) => `USER \`${user}\` is not numeric; a numeric UID works with runAsNonRoot checks and images without /etc/passwd`,
  examples: { bad: [{ source: 'FROM alpine:3.20\nUSER nobody:nogroup\n' }], good: [{ source: 'FROM alpine:3.20\nARG APP_UID=10001\nUSER ${APP_UID}\nUSER 65534:65534\n' }] },
  check(ctx, report) {
    for (const instr of ctx.of('USER', false)) {
      const user = (instr.args[0] ?? '').split(':')[0];
      if (user === '' || /^\d+$/.test(user)) continue;
      const ref = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(user);
      if (ref && declared(ctx, instr, ref[1])) continue;
      report({ range: ctx.firstLine(instr), message: this.format(user) });
    }
  },
});
