import { defineRule, hadolintUrl } from '../rule';
import { commandsNamed, shellRuns } from './helpers';

export default defineRule({
  code: 'DL3046', name: 'useradd-high-uid', family: 'hadolint', severity: 'warning',
  description: '`useradd` without flag `-l` and high UID will result in excessively large Image.',
  url: hadolintUrl('DL3046'),
  format: () => '`useradd` without flag `-l` and high UID will result in excessively large Image.',
  examples: { bad: [{ source: 'FROM debian:12\nRUN useradd -u 1234567 svc\n' }], good: [{ source: 'FROM debian:12\nRUN useradd -l -u 1234567 svc && useradd -u 1001 web\n' }] },
  check(ctx, report) {
    for (const { instr, script } of shellRuns(ctx)) {
      for (const cmd of commandsNamed(script, 'useradd')) {
        const values = cmd.args.map((a) => a.value);
        if (values.includes('-l') || values.includes('--no-log-init')) continue;
        const i = values.findIndex((v) => v === '-u' || v === '--uid');
        const uid = i >= 0 ? values[i + 1] : values.find((v) => v.startsWith('--uid='))?.slice(6);
        if (uid && uid.length > 5) report({ range: ctx.firstLine(instr), message: this.format() });
      }
    }
  },
});
