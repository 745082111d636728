import { defineRule, hadolintUrl } from '../rule';
import { APT_GET_VALUE_FLAGS, installs } from './packages';

export default defineRule({
  code: 'DL3015', name: 'apt-get-no-install-recommends', family: 'hadolint', severity: 'info',
  description: 'Avoid additional packages by specifying `--no-install-recommends`',
  url: hadolintUrl('DL3015'),
  format: () => 'Avoid additional packages by specifying `--no-install-recommends`',
  examples: {
    bad: [{ source: 'FROM debian:12\nRUN apt-get install -y make=4.3-4.1\n' }],
    good: [{ source: 'FROM debian:12\nRUN apt-get install -y --no-install-recommends make=4.3-4.1\n' }],
  },
  check(ctx, report) {
    for (const { script, cmd } of installs(ctx, ['apt-get'], ['install'], APT_GET_VALUE_FLAGS)) {
      if (cmd.args.some((a) => a.value === '--no-install-recommends' || /APT::Install-Recommends=(false|0)/i.test(a.value))) continue;
      const name = cmd.nameWord;
      const range = ctx.scriptRange(script, cmd.start, name ? name.end : cmd.end);
      const pos = name ? ctx.scriptRange(script, name.end, name.end).start : range.end;
      report({ range, message: this.format(), fixes: [{ title: 'Add --no-install-recommends', edits: [{ range: { start: pos, end: pos }, newText: ' --no-install-recommends' }] }] });
    }
  },
});
