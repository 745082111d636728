import { defineRule, hadolintUrl } from '../rule';

export default defineRule({
  code: 'DL3024', name: 'unique-stage-names', family: 'hadolint', severity: 'error', sameAs: 'DuplicateStageName',
  description: 'FROM aliases (stage names) must be unique',
  url: hadolintUrl('DL3024'),
  format: () => 'FROM aliases (stage names) must be unique',
  examples: { bad: [{ source: 'FROM node:20 AS deps\nFROM node:20 AS deps\n' }], good: [{ source: 'FROM node:20 AS deps\nFROM node:20 AS build\n' }] },
  check(ctx, report) {
    const seen = new Set<string>();
    for (const stage of ctx.stages) {
      const name = stage.name?.toLowerCase();
      if (!name) continue;
      if (seen.has(name)) report({ range: ctx.firstLine(stage.from), message: this.format() });
      seen.add(name);
    }
  },
});
