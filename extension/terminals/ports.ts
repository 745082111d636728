// EXPOSE → published ports for `run` (pure). The image config's ExposedPorts is
// {"5000/tcp": {}}; Docker's HostConfig.PortBindings maps the same keys to host ports.

export interface PortChoice {
  /** "5000/tcp" */
  key: string;
  containerPort: number;
  protocol: string;
}

export function exposedPorts(config: { ExposedPorts?: Record<string, unknown> | null } | undefined): PortChoice[] {
  const out: PortChoice[] = [];
  for (const key of Object.keys(config?.ExposedPorts ?? {})) {
    const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/.exec(key);
    if (!m) continue; // ranges and odd keys: left for the user to publish by hand
    out.push({ key: m[2] ? key : `${m[1]}/tcp`, containerPort: Number(m[1]), protocol: m[2] ?? 'tcp' });
  }
  return out.sort((a, b) => a.containerPort - b.containerPort);
}

/** Each chosen port on the same host port number (what a user expects from EXPOSE 5000). */
export function portBindings(chosen: PortChoice[], hostPorts: Record<string, number> = {}): {
  ExposedPorts: Record<string, object>;
  PortBindings: Record<string, Array<{ HostIp: string; HostPort: string }>>;
} {
  const ExposedPorts: Record<string, object> = {};
  const PortBindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const p of chosen) {
    ExposedPorts[p.key] = {};
    PortBindings[p.key] = [{ HostIp: '', HostPort: String(hostPorts[p.key] ?? p.containerPort) }];
  }
  return { ExposedPorts, PortBindings };
}
