// The `slipway.insecureRegistries` setting: registries the runtime service reaches over plain
// HTTP, as dockerd's "insecure-registries". The service reads them from its environment
// (SLIPWAY_INSECURE_REGISTRIES, runtime/registry/transport.ts) when it starts, so the extension
// passes them there when it starts the service. Pure: unit-tested without VS Code.
import { InvalidArgumentError } from '../../runtime/errors';
import { insecureFromEnv } from '../../runtime/registry/insecure';

const SETTING = 'slipway.insecureRegistries';
// host, host:port, IPv4:port or [IPv6]:port — what the transport compares against a reference's domain.
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:]+\])(?::\d{1,5})?$/i;

/** Validates the setting; an entry that is no `host[:port]` is an error naming it. */
export function insecureRegistriesFromSetting(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidArgumentError(`setting ${SETTING} must be a list of registries ("host:port")`);
  const out: string[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string') throw new InvalidArgumentError(`setting ${SETTING}: ${JSON.stringify(entry)} is not a string`);
    const v = entry.trim();
    if (v === '') continue;
    if (v.includes('://')) throw new InvalidArgumentError(`setting ${SETTING}: "${entry}" must be a registry host[:port] without a scheme (e.g. "${v.split('://')[1]}")`);
    if (/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(v)) throw new InvalidArgumentError(`setting ${SETTING}: "${entry}" is a CIDR range; list each registry as host:port`);
    if (!HOST.test(v)) throw new InvalidArgumentError(`setting ${SETTING}: "${entry}" is not a registry host[:port]`);
    if (!out.includes(v.toLowerCase())) out.push(v.toLowerCase());
  }
  return out;
}

/**
 * The service's SLIPWAY_INSECURE_REGISTRIES: what the extension host's environment already
 * lists plus the setting's entries (duplicates once). Unset when both are empty.
 */
export function withInsecureRegistries(env: NodeJS.ProcessEnv, registries: readonly string[]): NodeJS.ProcessEnv {
  const inherited = insecureFromEnv(env);
  const all = [...new Set([...inherited, ...registries])];
  const out = { ...env };
  if (all.length > 0) out.SLIPWAY_INSECURE_REGISTRIES = all.join(',');
  else delete out.SLIPWAY_INSECURE_REGISTRIES;
  return out;
}
