// LABEL pairs with their ranges, for the label rules (DL3048–DL3058).
import { PropertyInstruction } from 'dockerfile-ast';
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
    if (!(instr.node instanceof PropertyInstruction)) continue;
    for (const p of instr.node.getProperties()) {
      out.push({ instr, key: p.getName().replace(/^["']|["']$/g, ''), value: (p.getValue() ?? '').replace(/^"(.*)"$|^'(.*)'$/s, '$1$2'), range: p.getRange() });
    }
  }
  return out;
}
