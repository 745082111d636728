import { defineRule, hadolintUrl } from '../rule';
import { APK_VALUE_FLAGS, installs } from './packages';

export default defineRule({
  code: 'DL3018', name: 'apk-pin-versions', family: 'hadolint', severity: 'warning',
  description: 'Pin versions in apk add',
  url: hadolintUrl('DL3018'),
  format: () => 'Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`',
  examples: { bad: [{ source: 'FROM alpine:3.20\nRUN apk add --no-cache bash\n' }], good: [{ source: 'FROM alpine:3.20\nRUN apk add --no-cache --virtual .deps bash=5.2.26-r0\n' }] },
  check(ctx, report) {
    for (const { script, packages } of installs(ctx, ['apk'], ['add'], APK_VALUE_FLAGS)) {
      const bad = packages.find((p) => !/[=~<>]/.test(p.value) && !p.value.endsWith('.apk'));
      if (bad) report({ range: ctx.scriptRange(script, bad.start, bad.end), message: this.format() });
    }
  },
});
