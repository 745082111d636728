import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL3007', name: 'no-latest-tag', family: 'hadolint', severity: 'warning',
  description: 'Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag',
  url: hadolintUrl('DL3007'),
  format: () => 'Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag',
  examples: { bad: [{ source: 'FROM nginx:latest\n' }], good: [{ source: 'FROM nginx:1.27.0\n' }] },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      if (stage.tag === 'latest' && stage.digest === undefined && stage.imageRange) {
        const end = stage.imageRange.start.character + stage.image.length;
        report({ range: { start: { line: stage.imageRange.start.line, character: end - 6 }, end: { line: stage.imageRange.start.line, character: end } }, message: this.format() });
      }
    }
  },
});
