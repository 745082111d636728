// The Docker Engine API versions this service speaks, and version negotiation.
//
// Clients negotiate as Docker's do: they read `API-Version` from `/_ping` (or `/version`) and
// use min(their own, ours). A request under `/vX.Y/` outside [MIN, MAX] gets Docker's own 400
// message, word for word, because the docker CLI shows it to users verbatim
// (moby api/server/middleware/version.go).
import { InvalidArgumentError } from '../errors';
import pkg from '../../package.json';

export const API_VERSION = '1.45';
export const MIN_API_VERSION = '1.24';
/** Slipway's own version (the extension's), reported as the engine version. */
export const PRODUCT_VERSION: string = pkg.version;

/** Compares "1.45"-style versions numerically: negative, zero or positive. */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The API version a request runs under: the one in its `/vX.Y/` prefix, or the newest when
 * it has none (as Docker does). Throws Docker's 400 when the version is out of range.
 */
export function negotiateApiVersion(requested: string | undefined): string {
  if (requested === undefined) return API_VERSION;
  if (!/^\d+\.\d+$/.test(requested)) throw new InvalidArgumentError(`invalid API version: "${requested}"`);
  if (compareApiVersions(requested, MIN_API_VERSION) < 0) {
    throw new InvalidArgumentError(`client version ${requested} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`);
  }
  if (compareApiVersions(requested, API_VERSION) > 0) {
    throw new InvalidArgumentError(`client version ${requested} is too new. Maximum supported API version is ${API_VERSION}`);
  }
  return requested;
}
