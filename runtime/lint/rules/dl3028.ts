import { defineRule, hadolintUrl } from '../rule';
import { installs } from './packages';

export default defineRule({
  code: 'DL3028', name: 'gem-pin-versions', family: 'hadolint', severity: 'warning',
  description: 'Pin versions in gem install',
  url: hadolintUrl('DL3028'),
  format: () => 'Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`',
  examples: { bad: [{ source: 'FROM ruby:3.3\nRUN gem install rake\n' }], good: [{ source: 'FROM ruby:3.3\nRUN gem install rake:13.2.1 && gem install bundler -v 2.5.11\n' }] },
  check(ctx, report) {
    for (const { script, cmd, packages } of installs(ctx, ['gem'], ['install', 'i'], ['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '--source', '-s', '-P', '--trust-policy', '--platform'])) {
      if (cmd.args.some((a) => a.value === '-v' || a.value === '--version' || a.value.startsWith('--version='))) continue;
      const bad = packages.find((p) => !p.value.includes(':'));
      if (bad) report({ range: ctx.scriptRange(script, bad.start, bad.end), message: this.format() });
    }
  },
});
