import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL1001', name: 'no-inline-ignore-pragma', family: 'hadolint', severity: 'off',
  description: 'Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`.',
  url: hadolintUrl('DL1001'),
  format: () => 'Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`.',
  examples: { bad: [{ source: 'FROM alpine:3.20\n# hadolint ignore=DL3018\nRUN apk add --no-cache git\n' }], good: [{ source: '# hadolint shell=bash\nFROM alpine:3.20\n' }] },
  check(ctx, report) {
    for (let l = 0; l < ctx.lineStarts.length; l++) {
      const text = ctx.lineText(l);
      if (/^\s*#\s*hadolint\s+ignore\s*=/i.test(text)) {
        report({ range: { start: { line: l, character: 0 }, end: { line: l, character: text.length } }, message: this.format() });
      }
    }
  },
});
