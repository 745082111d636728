import { defineRule, hadolintUrl } from '../rule';

export function isRootUser(user: string): boolean {
  const name = user.split(':')[0];
  return name === 'root' || name === '0';
}

export default defineRule({
  code: 'DL3002', name: 'last-user-root', family: 'hadolint', severity: 'warning',
  description: 'Last USER should not be root',
  url: hadolintUrl('DL3002'),
  format: () => 'Last USER should not be root',
  examples: { bad: [{ source: 'FROM debian:12\nUSER app\nRUN make install\nUSER root\n' }], good: [{ source: 'FROM debian:12\nUSER root\nRUN make install\nUSER 10001\n' }] },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      const users = stage.instrs.filter((i) => i.keyword === 'USER' && !i.onbuild);
      const last = users[users.length - 1];
      if (last && isRootUser(last.args[0] ?? '')) report({ range: ctx.firstLine(last), message: this.format() });
    }
  },
});
