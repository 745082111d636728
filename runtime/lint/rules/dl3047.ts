import { defineRule, hadolintUrl } from '../rule';
import { commandsNamed, shellRuns } from './helpers';

export default defineRule({
  code: 'DL3047', name: 'wget-progress', family: 'hadolint', severity: 'info',
  description: 'Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).',
  url: hadolintUrl('DL3047'),
  format: () => 'Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).',
  examples: { bad: [{ source: 'FROM debian:12\nRUN wget https://example.com/data.bin\n' }], good: [{ source: 'FROM debian:12\nRUN wget --progress=dot:giga https://example.com/data.bin\n' }] },
  check(ctx, report) {
    for (const { script } of shellRuns(ctx)) {
      for (const cmd of commandsNamed(script, 'wget')) {
        const ok = cmd.args.some((a) => /^(--progress(=|$)|-q$|--quiet$|-nv$|--no-verbose$|-o$|--output-file(=|$)|-a$|--append-output(=|$))/.test(a.value) || /^-[a-zA-Z]*q[a-zA-Z]*$/.test(a.value));
        if (ok || !cmd.nameWord) continue;
        const range = ctx.scriptRange(script, cmd.nameWord.start, cmd.nameWord.end);
        report({ range, message: this.format(), fixes: [{ title: 'Add --progress=dot:giga', edits: [{ range: { start: range.end, end: range.end }, newText: ' --progress=dot:giga' }] }] });
      }
    }
  },
});
