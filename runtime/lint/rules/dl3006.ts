import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL3006', name: 'tag-image-version', family: 'hadolint', severity: 'warning',
  description: 'Always tag the version of an image explicitly',
  url: hadolintUrl('DL3006'),
  format: () => 'Always tag the version of an image explicitly',
  examples: { bad: [{ source: 'FROM postgres\n' }], good: [{ source: 'ARG BASE=alpine:3.20\nFROM golang:1.22 AS build\nFROM build AS test\nFROM ${BASE}\nFROM scratch\n' }] },
  check(ctx, report) {
    const names = new Set<string>();
    for (const stage of ctx.stages) {
      const image = stage.image;
      const ok = image === '' || image.toLowerCase() === 'scratch' || image.startsWith('$') || names.has(image.toLowerCase())
        || stage.tag !== undefined || stage.digest !== undefined;
      if (!ok) report({ range: stage.imageRange ?? ctx.firstLine(stage.from), message: this.format() });
      if (stage.name) names.add(stage.name.toLowerCase());
    }
  },
});
