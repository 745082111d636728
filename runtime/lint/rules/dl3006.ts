import { defineRule, hadolintUrl } from '../rule';

/**
 * `FROM binaries-$TARGETOS` picks one of the stages `binaries-linux`, `binaries-windows`: with
 * its variables as wildcards, the image matches an earlier stage name, so it is a stage.
 */
function stageByPattern(image: string, names: Set<string>): boolean {
  if (!image.includes('$')) return false;
  const parts = image.toLowerCase().split(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/);
  const re = new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return [...names].some((n) => re.test(n));
}

export default defineRule({
  code: 'DL3006', name: 'tag-image-version', family: 'hadolint', severity: 'warning',
  description: 'Always tag the version of an image explicitly',
  url: hadolintUrl('DL3006'),
  format: () => 'Always tag the version of an image explicitly',
  examples: { bad: [{ source: 'FROM postgres\n' }], good: [{ source: 'ARG BASE=alpine:3.20\nFROM golang:1.22 AS build\nFROM build AS test\nFROM ${BASE}\nFROM scratch\n' }, { source: 'FROM alpine:3.20 AS bin-linux\nFROM alpine:3.20 AS bin-windows\nFROM bin-${TARGETOS} AS bin\n', note: 'a stage chosen by a variable' }] },
  check(ctx, report) {
    const names = new Set<string>();
    for (const stage of ctx.stages) {
      const image = stage.image;
      const ok = image === '' || image.toLowerCase() === 'scratch' || image.startsWith('$') || names.has(image.toLowerCase())
        || stageByPattern(image, names)
        || stage.tag !== undefined || stage.digest !== undefined;
      if (!ok) report({ range: stage.imageRange ?? ctx.firstLine(stage.from), message: this.format() });
      if (stage.name) names.add(stage.name.toLowerCase());
    }
  },
});
