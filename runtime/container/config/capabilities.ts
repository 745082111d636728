// --cap-add / --cap-drop / --privileged, with moby's rules (oci/caps/utils.go TweakCapabilities):
// names are case-insensitive with or without CAP_, "ALL" in add means every capability but the
// dropped ones, "ALL" in drop means only the added ones, otherwise drop from the defaults then add.
import { InvalidArgumentError } from '../../errors';
import { ALL_CAPABILITIES, DEFAULT_CAPABILITIES } from './defaults';

const KNOWN = new Set<string>(ALL_CAPABILITIES);

function normalize(list: readonly string[] | null | undefined): string[] {
  const out: string[] = [];
  for (const raw of list ?? []) {
    const upper = raw.trim().toUpperCase();
    const cap = upper === 'ALL' ? 'ALL' : upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    if (cap !== 'ALL' && !KNOWN.has(cap)) throw new InvalidArgumentError(`unknown capability: "${cap}"`);
    if (!out.includes(cap)) out.push(cap);
  }
  return out;
}

export function tweakCapabilities(add: readonly string[] | null | undefined, drop: readonly string[] | null | undefined, privileged: boolean): string[] {
  if (privileged) return [...ALL_CAPABILITIES];
  const adds = normalize(add);
  const drops = normalize(drop);
  if (adds.includes('ALL')) return ALL_CAPABILITIES.filter((c) => !drops.includes(c));
  if (drops.includes('ALL')) return adds.filter((c) => c !== 'ALL');
  const kept: string[] = DEFAULT_CAPABILITIES.filter((c) => !drops.includes(c));
  for (const c of adds) if (!kept.includes(c)) kept.push(c);
  return kept;
}
