// HostConfig.PortBindings → the list the port proxy serves, and docker inspect's
// NetworkSettings.Ports / the Ports column of /containers/json.
import { InvalidArgumentError } from '../../errors';
import type { HostConfig } from './types';

export interface PortMapping { hostIp: string; hostPort: number; containerPort: number; proto: 'tcp' }

/** hostPort 0 = let the proxy pick a free port (docker's `-p 80`). */
export function portMappings(hc: HostConfig): PortMapping[] {
  const out: PortMapping[] = [];
  for (const [key, bindings] of Object.entries(hc.PortBindings ?? {})) {
    const [port, proto = 'tcp'] = key.split('/');
    if (proto !== 'tcp') throw new InvalidArgumentError(`publishing ${proto} ports is not supported yet: ${key}`);
    for (const b of bindings ?? [{}]) {
      const hostPort = b.HostPort ? Number(b.HostPort) : 0;
      if (!Number.isInteger(hostPort) || hostPort < 0 || hostPort > 65535) throw new InvalidArgumentError(`invalid hostPort: ${b.HostPort}`);
      out.push({ hostIp: b.HostIp || '0.0.0.0', hostPort, containerPort: Number(port), proto: 'tcp' });
    }
  }
  return out;
}

/** NetworkSettings.Ports: every exposed port, with the bindings actually made (or null). */
export function networkSettingsPorts(exposed: Record<string, object> | null, bound: readonly PortMapping[]): Record<string, Array<{ HostIp: string; HostPort: string }> | null> {
  const out: Record<string, Array<{ HostIp: string; HostPort: string }> | null> = {};
  for (const key of Object.keys(exposed ?? {})) out[key.includes('/') ? key : `${key}/tcp`] = null;
  for (const m of bound) {
    const key = `${m.containerPort}/${m.proto}`;
    (out[key] ??= []).push({ HostIp: m.hostIp, HostPort: String(m.hostPort) });
  }
  return out;
}

/** The Ports array of GET /containers/json. */
export function listPorts(exposed: Record<string, object> | null, bound: readonly PortMapping[]): Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }> {
  const out: Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }> = [];
  const boundKeys = new Set(bound.map((m) => `${m.containerPort}/${m.proto}`));
  for (const m of bound) out.push({ IP: m.hostIp, PrivatePort: m.containerPort, PublicPort: m.hostPort, Type: m.proto });
  for (const key of Object.keys(exposed ?? {})) {
    const [port, proto = 'tcp'] = key.split('/');
    if (!boundKeys.has(`${port}/${proto}`)) out.push({ PrivatePort: Number(port), Type: proto });
  }
  return out;
}
