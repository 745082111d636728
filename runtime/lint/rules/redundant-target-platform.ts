import { buildkitUrl, defineRule } from '../rule';

export default defineRule({
  code: 'RedundantTargetPlatform', name: 'RedundantTargetPlatform', family: 'buildkit', severity: 'warning',
  description: 'Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior',
  url: buildkitUrl('redundant-target-platform'),
  format: (platformVar: string) => `Setting platform to predefined ${platformVar} in FROM is redundant as this is the default behavior`,
  examples: {
    bad: [{ source: 'FROM --platform=$TARGETPLATFORM alpine AS builder\n' }],
    good: [{ source: 'FROM alpine AS builder\n' }, { source: 'FROM --platform=$BUILDPLATFORM alpine AS builder\n' }],
  },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      const flag = stage.from.flags.find((f) => f.name.toLowerCase() === 'platform');
      const value = flag?.value; // unquoted already (dockerfile/located.ts)
      // Only the variable alone: `$TARGETPLATFORM` or `${TARGETPLATFORM}` (BuildKit: the only
      // match, with the same result as the variable's value).
      if (!flag || !value || !/^\$(\{TARGETPLATFORM\}|TARGETPLATFORM)$/.test(value)) continue;
      const remove = { start: flag.range.start, end: { line: flag.range.end.line, character: flag.range.end.character + 1 } };
      report({ range: flag.range, message: this.format(value), fixes: [{ title: 'Remove the redundant --platform', edits: [{ range: remove, newText: '' }] }] });
    }
  },
});
