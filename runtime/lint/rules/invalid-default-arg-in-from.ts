import { buildkitUrl, defineRule } from '../rule';
import { expand, globalArgEnv } from './helpers';

// distribution/reference's grammar, enough to tell a usable image name from an empty or
// malformed one: [domain/]path[:tag][@digest], path components lower-case.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?';
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

export function isValidReference(ref: string): boolean {
  return REFERENCE.test(ref);
}

export default defineRule({
  code: 'InvalidDefaultArgInFrom', name: 'InvalidDefaultArgInFrom', family: 'buildkit', severity: 'warning',
  description: 'Default value for global ARG results in an empty or invalid base image name',
  url: buildkitUrl('invalid-default-arg-in-from'),
  format: (baseName: string) => `Default value for ARG ${baseName} results in empty or invalid base image name`,
  examples: {
    bad: [{ source: 'ARG TAG\nFROM busybox:${TAG}\n' }],
    good: [{ source: 'ARG TAG=latest\nFROM busybox:${TAG}\n' }, { source: 'ARG TAG\nFROM alpine:${TAG:-3.14}\n' }],
  },
  check(ctx, report) {
    const env = globalArgEnv(ctx, true);
    for (const stage of ctx.stages) {
      if (!stage.image.includes('$')) continue;
      const { result } = expand(stage.image, env, ctx.escape);
      if (!isValidReference(result)) report({ range: ctx.firstLine(stage.from), message: this.format(stage.image) });
    }
  },
});
