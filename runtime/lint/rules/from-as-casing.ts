import { buildkitUrl, defineRule } from '../rule';

export default defineRule({
  code: 'FromAsCasing', name: 'FromAsCasing', family: 'buildkit', severity: 'warning',
  description: "The 'as' keyword should match the case of the 'from' keyword",
  url: buildkitUrl('from-as-casing'),
  format: (from: string, as: string) => `'${as}' and '${from}' keywords' casing do not match`,
  examples: { bad: [{ source: 'FROM debian:12 as build\n' }], good: [{ source: 'FROM debian:12 AS build\n' }, { source: 'from debian:12 as build\n' }] },
  check(ctx, report) {
    for (const stage of ctx.stages) {
      const from = stage.from.written;
      const args = stage.from.words;
      if (args.length < 3) continue;
      const as = args[1].value;
      // A FROM that is itself mixed-case is ConsistentInstructionCasing's business.
      const lower = from === from.toLowerCase(), upper = from === from.toUpperCase();
      if (!lower && !upper) continue;
      const want = lower ? as.toLowerCase() : as.toUpperCase();
      if (as === want) continue;
      report({
        range: args[1].range, message: this.format(from, as),
        fixes: [{ title: `Change '${as}' to '${want}'`, edits: [{ range: args[1].range, newText: want }] }],
      });
    }
  },
});
