import { defineRule, hadolintUrl } from '../rule';
import { commandsNamed, shellRuns } from './helpers';

export default defineRule({
  code: 'DL3027', name: 'no-apt', family: 'hadolint', severity: 'warning',
  description: 'Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead',
  url: hadolintUrl('DL3027'),
  format: () => 'Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead',
  examples: { bad: [{ source: 'FROM ubuntu:24.04\nRUN apt install -y jq\n' }], good: [{ source: 'FROM ubuntu:24.04\nRUN apt-get install -y --no-install-recommends jq=1.7.1-3build1\n' }] },
  check(ctx, report) {
    for (const { script } of shellRuns(ctx)) {
      for (const cmd of commandsNamed(script, 'apt')) {
        const w = cmd.nameWord;
        if (!w) continue;
        const range = ctx.scriptRange(script, w.start, w.end);
        const sub = cmd.args.find((a) => !a.value.startsWith('-'))?.value;
        const tool = sub && ['search', 'show', 'policy', 'depends', 'rdepends'].includes(sub) ? 'apt-cache' : 'apt-get';
        report({ range, message: this.format(), fixes: [{ title: `Use ${tool}`, edits: [{ range, newText: tool }] }] });
      }
    }
  },
});
