import { defineRule, hadolintUrl } from '../rule';
import { commandsNamed, shellRuns, wordHit } from './helpers';

export default defineRule({
  code: 'DL3004', name: 'no-sudo', family: 'hadolint', severity: 'error',
  description: 'Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root',
  url: hadolintUrl('DL3004'),
  format: () => 'Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root',
  examples: { bad: [{ source: 'FROM ubuntu:24.04\nRUN sudo mkdir /data\n' }], good: [{ source: 'FROM ubuntu:24.04\nRUN mkdir /data\n' }] },
  check(ctx, report) {
    for (const { instr, script } of shellRuns(ctx)) {
      const sudo = commandsNamed(script, 'sudo')[0];
      if (sudo) report(wordHit(ctx, script, sudo.nameWord, instr, this.format()));
    }
  },
});
