import { defineRule, hadolintUrl } from '../rule';
import { RESERVED_STAGE_NAMES } from './reserved-stage-name';

export default defineRule({
  code: 'DL3063', name: 'reserved-stage-name', family: 'hadolint', severity: 'warning', sameAs: 'ReservedStageName',
  description: 'Stage name should not be a reserved word (`scratch`, `context`)',
  url: hadolintUrl('DL3063'),
  format: (name: string) => `Stage name \`${name}\` is a reserved word; do not use \`scratch\` or \`context\` as a stage name`,
  examples: { bad: [{ source: 'FROM alpine:3.20 AS context\n' }], good: [{ source: 'FROM alpine:3.20 AS runtime\n' }] },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      const name = stage.name?.toLowerCase();
      if (name && RESERVED_STAGE_NAMES.includes(name)) report({ range: ctx.firstLine(stage.from), message: this.format(name) });
    }
  },
});
