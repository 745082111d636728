import { buildkitUrl, defineRule } from '../rule';

export default defineRule({
  code: 'DuplicateStageName', name: 'DuplicateStageName', family: 'buildkit', severity: 'warning',
  description: 'Stage names should be unique',
  url: buildkitUrl('duplicate-stage-name'),
  format: (stage: string) => `Duplicate stage name ${JSON.stringify(stage)}, stage names should be unique`,
  examples: { bad: [{ source: 'FROM debian:12 AS build\nFROM golang:1.22 AS build\n' }], good: [{ source: 'FROM debian:12 AS deb\nFROM golang:1.22 AS go\n' }] },
  check(ctx, report) {
    const seen = new Set<string>();
    for (const stage of ctx.stages) {
      if (!stage.name) continue;
      // BuildKit compares stage names lower-cased (they are case-insensitive references).
      const key = stage.name.toLowerCase();
      if (seen.has(key)) report({ range: stage.nameRange ?? ctx.firstLine(stage.from), message: this.format(key) });
      seen.add(key);
    }
  },
});
