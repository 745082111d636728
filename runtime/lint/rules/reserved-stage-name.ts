import { buildkitUrl, defineRule } from '../rule';

export const RESERVED_STAGE_NAMES = ['context', 'scratch'];

export default defineRule({
  code: 'ReservedStageName', name: 'ReservedStageName', family: 'buildkit', severity: 'warning',
  description: 'Reserved words should not be used as stage names',
  url: buildkitUrl('reserved-stage-name'),
  format: (name: string) => `Stage name should not use the same name as reserved stage ${JSON.stringify(name)}`,
  examples: { bad: [{ source: 'FROM alpine AS scratch\n' }], good: [{ source: 'FROM alpine AS builder\n' }] },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      const name = stage.name?.toLowerCase();
      if (name && RESERVED_STAGE_NAMES.includes(name)) {
        report({ range: stage.nameRange ?? ctx.firstLine(stage.from), message: this.format(name) });
      }
    }
  },
});
