// slipway version: Client and Server sections, as `docker version` prints them.
import { parseArgs } from 'node:util';
import { API_VERSION, PRODUCT_VERSION } from '../../service/api-version';
import type { SystemVersion } from '../../service/system-info';
import { withClient } from '../api';
import type { Command } from '../command';
import { keyValues, renderFormat } from '../format';

/** What this CLI reads of GET /version; older or foreign servers may omit fields. */
type ServerVersion = Partial<SystemVersion> & Pick<SystemVersion, 'Version' | 'ApiVersion' | 'Os' | 'Arch'>;

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };

export function clientVersion() {
  return { Version: PRODUCT_VERSION, ApiVersion: API_VERSION, NodeVersion: process.version, Os: process.platform, Arch: GO_ARCH[process.arch] ?? process.arch };
}

export function formatVersion(client: ReturnType<typeof clientVersion>, server: ServerVersion): string {
  const lines = ['Client:', keyValues([
    ['Version', client.Version],
    ['API version', client.ApiVersion],
    ['Node version', client.NodeVersion],
    ['OS/Arch', `${client.Os}/${client.Arch}`],
  ]), '', `Server: ${server.Platform?.Name ?? ''}`.trimEnd()];
  for (const c of server.Components ?? []) {
    const d = c.Details ?? {};
    lines.push(` ${c.Name}:`, keyValues([
      ['Version', c.Version],
      ['API version', d.ApiVersion && `${d.ApiVersion}${d.MinAPIVersion ? ` (minimum version ${d.MinAPIVersion})` : ''}`],
      ['Runtime', d.GoVersion],
      ['OS/Arch', d.Os && `${d.Os}/${d.Arch}`],
      ['Kernel version', d.KernelVersion],
    ], '  ', 17));
  }
  return lines.join('\n') + '\n';
}

export const versionCommand: Command = {
  name: 'version',
  summary: 'Show the Slipway client and service versions',
  usage: [
    'Usage:  slipway version [OPTIONS]',
    '',
    'Show the Slipway client and service versions (starts the service if needed).',
    '',
    'Options:',
    '  -f, --format string   Format output: "json", or a template such as {{.Server.Version}}',
  ].join('\n'),
  async run(args, ctx) {
    const { values } = parseArgs({ args, options: { format: { type: 'string', short: 'f' } }, strict: true, allowPositionals: false });
    const client = clientVersion();
    const server = await withClient(ctx, (api) => api.get<ServerVersion>('/version'));
    if (values.format !== undefined) ctx.stdout.write(renderFormat(values.format, { Client: client, Server: server }) + '\n');
    else ctx.stdout.write(formatVersion(client, server));
    return 0;
  },
};
