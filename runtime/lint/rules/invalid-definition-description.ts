import { buildkitUrl, defineRule } from '../rule';

export default defineRule({
  code: 'InvalidDefinitionDescription', name: 'InvalidDefinitionDescription', family: 'buildkit', severity: 'warning', experimental: true,
  description: 'Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`. If this is not intended to be a description comment, add an empty line or comment between the instruction and the comment.',
  url: buildkitUrl('invalid-definition-description'),
  format: (instruction: string, name: string) => `Comment for ${instruction} should follow the format: \`# ${name} <description>\``,
  examples: {
    bad: [{ source: '# check=experimental=InvalidDefinitionDescription\n# a non-descriptive comment\nFROM scratch AS base\n' }],
    good: [{ source: '# check=experimental=InvalidDefinitionDescription\n# base is a stage for compiling source\nFROM scratch AS base\n' }],
  },
  check(ctx, report) {
    const directiveLines = new Set(Object.values(ctx.parsed.directives.ranges).map((r) => r.start.line));
    for (const instr of ctx.instrs) {
      if (instr.onbuild) continue;
      let keys: string[];
      if (instr.keyword === 'FROM') keys = ctx.stages[instr.stage]?.name ? [ctx.stages[instr.stage].name as string] : [];
      else if (instr.keyword === 'ARG') keys = instr.args.map((a) => a.split('=')[0]);
      else continue;
      if (keys.length === 0) continue;
      // The comment lines directly above (an empty line or an empty `#` ends the block); the
      // nearest one is the description and must start with the name.
      const above = ctx.lineText(instr.range.start.line - 1).trim();
      if (!above.startsWith('#') || directiveLines.has(instr.range.start.line - 1)) continue;
      const text = above.slice(1).trim();
      if (text === '') continue;
      if (keys.includes(text.split(' ')[0])) continue;
      report({ range: ctx.firstLine(instr), message: this.format(instr.keyword, keys.length > 1 ? '<arg_key>' : keys[0]) });
    }
  },
});
