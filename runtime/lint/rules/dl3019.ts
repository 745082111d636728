import { defineRule, hadolintUrl } from '../rule';
import { cacheMountCovers } from './helpers';
import { APK_VALUE_FLAGS, installs } from './packages';

export default defineRule({
  code: 'DL3019', name: 'apk-no-cache', family: 'hadolint', severity: 'info',
  description: 'Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages',
  url: hadolintUrl('DL3019'),
  format: () => 'Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages',
  examples: {
    bad: [{ source: 'FROM alpine:3.20\nRUN apk update && apk add bash=5.2.26-r0\n' }],
    good: [{ source: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add bash=5.2.26-r0\n' }],
  },
  check(ctx, report) {
    for (const { script, cmd } of installs(ctx, ['apk'], ['add'], APK_VALUE_FLAGS)) {
      if (cmd.args.some((a) => a.value === '--no-cache') || cacheMountCovers(script, '/var/cache/apk')) continue;
      const name = cmd.nameWord;
      const range = ctx.scriptRange(script, cmd.start, name ? name.end : cmd.end);
      const sub = cmd.args.find((a) => a.value === 'add');
      const pos = sub ? ctx.scriptRange(script, sub.end, sub.end).start : range.end;
      report({ range, message: this.format(), fixes: [{ title: 'Add --no-cache', edits: [{ range: { start: pos, end: pos }, newText: ' --no-cache' }] }] });
    }
  },
});
