import { defineRule, hadolintUrl } from '../rule';
import { hasFlag } from './helpers';
import { APT_GET_VALUE_FLAGS, installs } from './packages';

export default defineRule({
  code: 'DL3014', name: 'apt-get-yes', family: 'hadolint', severity: 'warning',
  description: 'Use the `-y` switch to avoid manual input `apt-get -y install <package>`',
  url: hadolintUrl('DL3014'),
  format: () => 'Use the `-y` switch to avoid manual input `apt-get -y install <package>`',
  examples: {
    bad: [{ source: 'FROM debian:12\nRUN apt-get install --no-install-recommends make=4.3-4.1\n' }],
    good: [{ source: 'FROM debian:12\nRUN apt-get install -qq --no-install-recommends make=4.3-4.1\n' }],
  },
  check(ctx, report) {
    for (const { script, cmd } of installs(ctx, ['apt-get'], ['install'], APT_GET_VALUE_FLAGS)) {
      const values = cmd.args.map((a) => a.value);
      const quiet2 = values.includes('-qq') || values.filter((v) => v === '-q' || v === '--quiet').length >= 2 || values.includes('-q=2') || values.includes('--quiet=2');
      if (quiet2 || hasFlag(cmd, 'y', '--yes', '--assume-yes')) continue;
      const name = cmd.nameWord;
      const range = ctx.scriptRange(script, cmd.start, name ? name.end : cmd.end);
      const at = name ? ctx.scriptRange(script, name.end, name.end).start : range.end;
      const pos = { line: at.line, character: at.character };
      report({ range, message: this.format(), fixes: [{ title: 'Add -y', edits: [{ range: { start: pos, end: pos }, newText: ' -y' }] }] });
    }
  },
});
