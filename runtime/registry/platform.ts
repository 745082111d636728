// Platform strings ("linux/arm64/v8") and choosing an index entry for a platform, the way
// containerd's platforms package does for `docker pull`: os and architecture must match after
// normalisation (x86_64 → amd64, aarch64 → arm64), arm64's variant defaults to v8, and a 32-bit
// arm host of variant vN also runs v(N-1)… images, preferring the highest. Pure.
import { InvalidArgumentError, NotFoundError } from '../errors';
import type { Descriptor, Platform } from '../image/types';

const ARCH_ALIASES: Record<string, string> = {
  x86_64: 'amd64', x86: '386', i386: '386', i686: '386', aarch64: 'arm64', armhf: 'arm', armel: 'arm',
};

/** Normalised copy: lower-case, architecture aliases resolved, default variants filled in. */
export function normalizePlatform(p: Platform): Platform {
  const os = p.os.toLowerCase();
  const architecture = ARCH_ALIASES[p.architecture.toLowerCase()] ?? p.architecture.toLowerCase();
  let variant = p.variant?.toLowerCase();
  if (architecture === 'arm64' && (variant === undefined || variant === '' || variant === '8')) variant = 'v8';
  if (architecture === 'arm' && (variant === undefined || variant === '')) variant = p.architecture.toLowerCase() === 'armel' ? 'v6' : 'v7';
  if (architecture === 'arm' && /^\d$/.test(variant ?? '')) variant = `v${variant}`;
  if (architecture === 'amd64' && (variant === 'v1' || variant === '')) variant = undefined;
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** Parses "os/arch[/variant]" (as `--platform` takes it); a lone "arch" means linux. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().split('/');
  if (parts.some((p) => p === '' || !/^[A-Za-z0-9_.-]+$/.test(p)) || parts.length > 3) {
    throw new InvalidArgumentError(`invalid platform "${text}": expected os/architecture[/variant], e.g. linux/arm64/v8`);
  }
  const [os, architecture, variant] = parts.length === 1 ? ['linux', parts[0]] : parts;
  return normalizePlatform({ os, architecture, ...(variant ? { variant } : {}) });
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * How well `candidate` runs on `want`: 0 is a perfect match, higher is worse, undefined is
 * "cannot run". arm variants: an older variant runs on a newer host.
 */
export function platformRank(want: Platform, candidate: Platform): number | undefined {
  const w = normalizePlatform(want);
  const c = normalizePlatform(candidate);
  if (w.os !== c.os || w.architecture !== c.architecture) return undefined;
  if (w.variant === c.variant) return 0;
  if (w.architecture === 'arm' && w.variant && c.variant) {
    const wv = Number(w.variant.slice(1));
    const cv = Number(c.variant.slice(1));
    if (cv < wv) return wv - cv;
  }
  return undefined;
}

/**
 * Picks the manifest of `index` for `want` (first best match, as containerd orders them).
 * Throws NotFoundError listing the platforms the index does have when none fits.
 */
export function selectManifest(manifests: readonly Descriptor[], want: Platform, what: string): Descriptor {
  let best: { d: Descriptor; rank: number } | undefined;
  for (const d of manifests) {
    if (!d.platform) continue;
    const rank = platformRank(want, d.platform);
    if (rank !== undefined && (!best || rank < best.rank)) best = { d, rank };
  }
  if (best) return best.d;
  // Attestation manifests carry platform unknown/unknown: not worth listing.
  const available = manifests.filter((d) => d.platform && d.platform.os !== 'unknown').map((d) => formatPlatform(normalizePlatform(d.platform!)));
  throw new NotFoundError(`no matching manifest for ${formatPlatform(normalizePlatform(want))} in the manifest list entries of ${what}` +
    (available.length ? ` (available: ${[...new Set(available)].join(', ')})` : ' (it lists no platforms)'));
}
