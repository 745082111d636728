import { defineRule, hadolintUrl } from '../rule';
import { baseName, shellRuns } from './helpers';

export default defineRule({
  code: 'DL4006', name: 'pipefail', family: 'hadolint', severity: 'warning',
  description: 'Set the SHELL option -o pipefail before RUN with a pipe in it',
  url: hadolintUrl('DL4006'),
  format: () => 'Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check',
  examples: {
    bad: [{ source: 'FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh\n' }],
    good: [{ source: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/install.sh | bash\n' }],
  },
  check(ctx, report) {
    for (const { instr, script } of shellRuns(ctx)) {
      if (!script.shell.hasPipe) continue;
      const shell = ctx.shellFor(instr);
      if (shell && ['bash', 'zsh', 'ash'].includes(baseName(shell[0] ?? '')) && shell.some((a, i) => a === '-o' && shell[i + 1] === 'pipefail')) continue;
      // `set -o pipefail` at the start of the script itself also protects the pipe.
      if (script.shell.commands.some((c) => c.name === 'set' && c.args.some((a, i) => (a.value === '-o' && c.args[i + 1]?.value === 'pipefail') || /^-[a-z]*o$/.test(a.value) && c.args[i + 1]?.value === 'pipefail'))) continue;
      report({ range: ctx.firstLine(instr), message: this.format() });
    }
  },
});
