// slipway login: checks the credentials against the registry itself (GET /v2/ and its
// challenge; no service needed) and stores them in ~/.docker/config.json — or in the
// configured credential helper — exactly where `docker login` keeps them.
import { parseArgs } from 'node:util';
import { CredentialStore } from '../../registry/credentials';
import { checkLogin, registryDomain } from '../../registry/login';
import { RegistrySession } from '../../registry/session';
import { CliError } from '../api';
import type { Command } from '../command';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export const loginCommand: Command = {
  name: 'login',
  summary: 'Log in to a registry',
  usage: [
    'Usage:  slipway login [OPTIONS] [SERVER]',
    '',
    'Log in to a registry. Without SERVER: Docker Hub.',
    '',
    'Options:',
    '  -u, --username string   Username',
    '  -p, --password string   Password (visible to other users: prefer --password-stdin)',
    '      --password-stdin    Take the password from stdin',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, options: {
      username: { type: 'string', short: 'u' }, password: { type: 'string', short: 'p' }, 'password-stdin': { type: 'boolean' },
    }, strict: true, allowPositionals: true });
    if (positionals.length > 1) throw new CliError('"slipway login" accepts at most 1 argument: SERVER');
    const domain = registryDomain(positionals[0]);
    if (values.password !== undefined && values['password-stdin']) throw new CliError('--password and --password-stdin are mutually exclusive');
    if (!values.username) throw new CliError('a username is required: slipway login -u USER --password-stdin ' + (positionals[0] ?? ''));
    const password = values['password-stdin'] ? await readStdin() : values.password;
    if (password === undefined || password === '') throw new CliError('a password is required: pass it on stdin with --password-stdin');
    if (values.password !== undefined) ctx.stderr.write('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
    const creds = { username: values.username, password };
    const session = new RegistrySession({ env: ctx.env, credentials: async () => creds });
    try {
      await checkLogin(session, domain);
    } finally {
      await session.close();
    }
    const store = new CredentialStore({ env: ctx.env });
    await store.store(domain, creds);
    ctx.stdout.write('Login Succeeded\n');
    return 0;
  },
};
