// --cap-add / --cap-drop / --privileged, with moby's rules (oci/caps/utils.go TweakCapabilities):
// names are case-insensitive with or without CAP_, "ALL" in add means every capability but the
// dropped ones, "ALL" in drop means only the added ones, otherwise drop from the defaults then add.
//
// "Every capability" is every one the runtime itself holds, as moby's caps.GetAllCapabilities
// and runc do: a host (or an outer container) may lack some in its bounding set — this one has
// no CAP_SYS_RESOURCE (CapBnd 1fffeffffff) — and capset() of a set larger than the bounding set
// fails with EPERM. So --privileged and --cap-add ALL give ALL ∩ the service's CapBnd.
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

/**
 * The capability names of a /proc/<pid>/status field ("CapBnd" by default), in number order;
 * bits the kernel has beyond the names Slipway knows are left out.
 */
export function parseCapabilityMask(status: string, field = 'CapBnd'): string[] {
  const m = new RegExp(`^${field}:\\s*([0-9a-fA-F]+)\\s*$`, 'm').exec(status);
  if (!m) throw new InvalidArgumentError(`no ${field} line in the process status`);
  const mask = BigInt(`0x${m[1]}`);
  return ALL_CAPABILITIES.filter((_, bit) => ((mask >> BigInt(bit)) & 1n) !== 0n);
}

/**
 * `available`: the capabilities "all" stands for — the service's own bounding set
 * (parseCapabilityMask of /proc/self/status); every known one when not given.
 */
export function tweakCapabilities(
  add: readonly string[] | null | undefined, drop: readonly string[] | null | undefined, privileged: boolean,
  available: readonly string[] = ALL_CAPABILITIES,
): string[] {
  const all = ALL_CAPABILITIES.filter((c) => available.includes(c));
  if (privileged) return all;
  const adds = normalize(add);
  const drops = normalize(drop);
  if (adds.includes('ALL')) return all.filter((c) => !drops.includes(c));
  if (drops.includes('ALL')) return adds.filter((c) => c !== 'ALL');
  const kept: string[] = DEFAULT_CAPABILITIES.filter((c) => !drops.includes(c));
  for (const c of adds) if (!kept.includes(c)) kept.push(c);
  return kept;
}
