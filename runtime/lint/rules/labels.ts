// LABEL pairs with their ranges, for the label rules (DL3048–DL3058).
import type { Range } from '../../errors';
import type { Instr, LintContext } from '../context';

export interface LabelPair { instr: Instr; key: string; value: string; range: Range }

const cache = new WeakMap<LintContext, LabelPair[]>();

/** Every LABEL pair of the file; computed once per lint (eight rules ask). */
export function labelPairs(ctx: LintContext): LabelPair[] {
  const known = cache.get(ctx);
  if (known) return known;
  const out: LabelPair[] = [];
  cache.set(ctx, out);
  for (const instr of ctx.of('LABEL')) {
    for (const p of instr.properties) {
      // The pairs are unquoted already (dockerfile/located.ts properties).
      out.push({ instr, key: p.name, value: p.value ?? '', range: p.range });
    }
  }
  return out;
}
