import { defineRule, hadolintUrl } from '../rule';
import { commandsNamed, shellRuns } from './helpers';

export default defineRule({
  code: 'DL4005', name: 'use-shell-instruction', family: 'hadolint', severity: 'warning',
  description: 'Use SHELL to change the default shell',
  url: hadolintUrl('DL4005'),
  format: () => 'Use SHELL to change the default shell',
  examples: { bad: [{ source: 'FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\n' }], good: [{ source: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\n' }] },
  check(ctx, report) {
    for (const { instr, script } of shellRuns(ctx)) {
      if (commandsNamed(script, 'ln').some((c) => c.args.some((a) => a.value === '/bin/sh'))) report({ range: ctx.firstLine(instr), message: this.format() });
    }
  },
});
