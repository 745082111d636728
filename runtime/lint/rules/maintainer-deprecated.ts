import { buildkitUrl, defineRule } from '../rule';
import type { LintContext, Instr } from '../context';
import type { Fix } from '../types';

/** MAINTAINER x → LABEL org.opencontainers.image.authors="x". */
export function maintainerFix(ctx: LintContext, instr: Instr): Fix | undefined {
  const args = instr.argsRange;
  if (!args) return undefined;
  const who = ctx.source.slice(ctx.offsetAt(args.start), ctx.offsetAt(args.end)).trim().replace(/^"(.*)"$/, '$1');
  const keyword = instr.written === instr.written.toLowerCase() ? 'label' : 'LABEL';
  return {
    title: 'Replace with the org.opencontainers.image.authors label',
    edits: [{ range: { start: instr.range.start, end: instr.range.end }, newText: `${keyword} org.opencontainers.image.authors=${JSON.stringify(who)}` }],
  };
}

export default defineRule({
  code: 'MaintainerDeprecated', name: 'MaintainerDeprecated', family: 'buildkit', severity: 'warning',
  description: 'The MAINTAINER instruction is deprecated, use a label instead to define an image author',
  url: buildkitUrl('maintainer-deprecated'),
  format: () => 'Maintainer instruction is deprecated in favor of using label',
  examples: {
    bad: [{ source: 'FROM alpine\nMAINTAINER moby@example.com\n' }],
    good: [{ source: 'FROM alpine\nLABEL org.opencontainers.image.authors="moby@example.com"\n' }],
  },
  check(ctx, report) {
    for (const instr of ctx.of('MAINTAINER', false)) {
      const fix = maintainerFix(ctx, instr);
      report({ range: ctx.firstLine(instr), message: this.format(), fixes: fix ? [fix] : [] });
    }
  },
});
