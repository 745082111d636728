import { defineRule, hadolintUrl } from '../rule';
import { commandsNamed, shellRuns } from './helpers';

export default defineRule({
  code: 'DL4001', name: 'wget-or-curl', family: 'hadolint', severity: 'warning',
  description: 'Either use Wget or Curl but not both',
  url: hadolintUrl('DL4001'),
  format: () => 'Either use Wget or Curl but not both',
  examples: {
    bad: [{ source: 'FROM debian:12\nRUN curl -fsSLo /tmp/a.txt https://example.com/a.txt\nRUN wget -q -O /tmp/b.txt https://example.com/b.txt\n' }],
    good: [{ source: 'FROM debian:12 AS one\nRUN curl -fsSLo /tmp/a.txt https://example.com/a.txt\nFROM debian:12 AS two\nRUN wget -q -O /tmp/b.txt https://example.com/b.txt\n' }],
  },
  check(ctx, report) {
    const seen = new Map<number, Set<string>>();
    for (const { instr, script } of shellRuns(ctx)) {
      const tools = new Set([...commandsNamed(script, 'curl').map(() => 'curl'), ...commandsNamed(script, 'wget').map(() => 'wget')]);
      if (tools.size === 0) continue;
      const used = seen.get(instr.stage) ?? new Set<string>();
      for (const t of tools) used.add(t);
      seen.set(instr.stage, used);
      // From the RUN that brings in the second tool on, every RUN using either is reported.
      if (used.size === 2) report({ range: ctx.firstLine(instr), message: this.format() });
    }
  },
});
