import { buildkitUrl, defineRule } from '../rule';
import { BUILTIN_FROM_ARGS, globalArgNames, suggest, varRange, varRefs } from './helpers';

export default defineRule({
  code: 'UndefinedArgInFrom', name: 'UndefinedArgInFrom', family: 'buildkit', severity: 'warning',
  description: 'FROM command must use declared ARGs',
  url: buildkitUrl('undefined-arg-in-from'),
  format: (arg: string, suggestion: string) => `FROM argument '${arg}' is not declared${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
  examples: {
    bad: [{ source: 'FROM node:22${VARIANT} AS jsbuilder\n' }, { source: 'FROM --platform=$BULIDPLATFORM golang:1.22\n' }],
    good: [{ source: 'ARG VARIANT="-alpine3.20"\nFROM node:22${VARIANT} AS jsbuilder\n' }],
  },
  check(ctx, report) {
    const keys = new Set([...globalArgNames(ctx), ...BUILTIN_FROM_ARGS]);
    for (const stage of ctx.stages) {
      const words = [stage.image, ctx.flag(stage.from, 'platform') ?? ''];
      const done = new Set<string>();
      for (const word of words) {
        for (const ref of varRefs(word, ctx.escape)) {
          if (keys.has(ref.name) || done.has(ref.name)) continue;
          done.add(ref.name);
          report({ range: varRange(ctx, stage.from, ref.name), message: this.format(ref.name, suggest(ref.name, keys)) });
        }
      }
    }
  },
});
