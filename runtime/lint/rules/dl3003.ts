import { defineRule, hadolintUrl } from '../rule';
import { shellRuns, wordHit } from './helpers';

export default defineRule({
  code: 'DL3003', name: 'use-workdir', family: 'hadolint', severity: 'warning',
  description: 'Use WORKDIR to switch to a directory',
  url: hadolintUrl('DL3003'),
  format: () => 'Use WORKDIR to switch to a directory',
  examples: { bad: [{ source: 'FROM alpine:3.20\nRUN cd /opt/tool && ./configure\n' }], good: [{ source: 'FROM alpine:3.20\nWORKDIR /opt/tool\nRUN ./configure\n' }] },
  check(ctx, report) {
    for (const { instr, script } of shellRuns(ctx)) {
      const cd = script.shell.commands.find((c) => c.name === 'cd');
      if (cd) report(wordHit(ctx, script, cd.nameWord, instr, this.format()));
    }
  },
});
