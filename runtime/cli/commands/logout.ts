// slipway logout: removes stored credentials for a registry (Docker Hub without SERVER).
import { parseArgs } from 'node:util';
import { configKey, CredentialStore } from '../../registry/credentials';
import { registryDomain } from '../../registry/login';
import { CliError } from '../api';
import type { Command } from '../command';

export const logoutCommand: Command = {
  name: 'logout',
  summary: 'Log out from a registry',
  usage: ['Usage:  slipway logout [SERVER]', '', 'Log out from a registry. Without SERVER: Docker Hub.'].join('\n'),
  async run(args, ctx) {
    const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
    if (positionals.length > 1) throw new CliError('"slipway logout" accepts at most 1 argument: SERVER');
    const domain = registryDomain(positionals[0]);
    const removed = await new CredentialStore({ env: ctx.env }).erase(domain);
    ctx.stdout.write(removed ? `Removing login credentials for ${configKey(domain)}\n` : `Not logged in to ${configKey(domain)}\n`);
    return 0;
  },
};
