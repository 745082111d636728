import { defineRule, hadolintUrl } from '../rule';
import type { Range } from '../../errors';

/** The registry part of an image reference; `docker.io` when there is none. */
export function registryOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}

export function trusted(registry: string, allowed: string[]): boolean {
  return allowed.some((a) => a === '*' || a === registry
    || (a.startsWith('*') && registry.endsWith(a.slice(1))) || (a.endsWith('*') && registry.startsWith(a.slice(0, -1)))
    || (a === 'docker.io' && registry === 'docker.io') || (a === 'hub.docker.com' && registry === 'docker.io'));
}

export default defineRule({
  code: 'DL3026', name: 'trusted-registries', family: 'hadolint', severity: 'error',
  description: 'Use only an allowed registry in the FROM image',
  url: hadolintUrl('DL3026'),
  format: () => 'Use only an allowed registry in the FROM image',
  examples: { bad: [{ source: 'FROM other.example.net/team/app:1.0\n', config: { trustedRegistries: ['registry.example.com'] } }], good: [{ source: 'FROM registry.example.com/team/app:1.0 AS base\nFROM base\n', config: { trustedRegistries: ['registry.example.com'] } }] },
  check(ctx, report) {
    const allowed = ctx.config.trustedRegistries;
    if (!allowed || allowed.length === 0) return;
    const stages = new Set<string>();
    const checkImage = (image: string, range: Range): void => {
      const lower = image.toLowerCase();
      if (lower === 'scratch' || stages.has(lower) || image.includes('$') || /^\d+$/.test(image)) return;
      if (!trusted(registryOf(image), allowed)) report({ range, message: this.format() });
    };
    for (const instr of ctx.instrs) {
      if (instr.keyword === 'FROM') {
        const stage = ctx.stages[instr.stage];
        checkImage(stage.image, ctx.firstLine(instr));
        if (stage.name) stages.add(stage.name.toLowerCase());
      } else if (instr.keyword === 'COPY') {
        const from = ctx.flag(instr, 'from');
        if (from && from.includes(':')) checkImage(from, ctx.firstLine(instr));
      } else if (instr.keyword === 'RUN') {
        for (const m of ctx.script(instr).mounts) if (m.from) checkImage(m.from, ctx.firstLine(instr));
      }
    }
  },
});
