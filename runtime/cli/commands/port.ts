// slipway port: the published ports of a container ("80/tcp -> 0.0.0.0:4000").
import { parseArgs } from 'node:util';
import { CliError, withClient } from '../api';
import type { Command } from '../command';
import { needArgs } from './container-io';

export const portCommand: Command = {
  name: 'port',
  summary: 'List port mappings or a specific mapping for the container',
  usage: 'Usage:  slipway port CONTAINER [PRIVATE_PORT[/PROTO]]\n\nList port mappings or a specific mapping for the container',
  async run(args, ctx) {
    const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
    needArgs('port', positionals, 1, 'CONTAINER [PRIVATE_PORT[/PROTO]]');
    const [ref, want] = positionals;
    const info = await withClient(ctx, (api) => api.get<{ NetworkSettings: { Ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null> } }>(`/containers/${encodeURIComponent(ref)}/json`));
    const key = want && (want.includes('/') ? want : `${want}/tcp`);
    const lines: string[] = [];
    for (const [port, bindings] of Object.entries(info.NetworkSettings.Ports ?? {})) {
      if (key && port !== key) continue;
      for (const b of bindings ?? []) lines.push(key ? `${b.HostIp}:${b.HostPort}` : `${port} -> ${b.HostIp}:${b.HostPort}`);
    }
    if (key && lines.length === 0) throw new CliError(`Error: No public port '${key}' published for ${ref}`);
    ctx.stdout.write(lines.map((l) => `${l}\n`).join(''));
    return 0;
  },
};
