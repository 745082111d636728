import { defineRule, hadolintUrl } from '../rule';
import { baseName, shellRuns, wordHit } from './helpers';

const POINTLESS = ['ssh', 'vim', 'shutdown', 'service', 'ps', 'free', 'top', 'kill', 'mount'];

export default defineRule({
  code: 'DL3001', name: 'pointless-command', family: 'hadolint', severity: 'info',
  description: 'For some bash commands it makes no sense running them in a Docker container like ssh, vim, shutdown, service, ps, free, top, kill, mount, ifconfig',
  url: hadolintUrl('DL3001'),
  format: () => 'For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`',
  examples: { bad: [{ source: 'FROM debian:12\nRUN service cron start\n' }], good: [{ source: 'FROM debian:12\nRUN apt-get install -y --no-install-recommends vim=2:9.0.1378-2\n' }] },
  check(ctx, report) {
    for (const { instr, script } of shellRuns(ctx)) {
      const cmd = script.shell.commands.find((c) => POINTLESS.includes(baseName(c.name)));
      if (cmd) report(wordHit(ctx, script, cmd.nameWord, instr, this.format()));
    }
  },
});
