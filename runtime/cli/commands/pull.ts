// slipway pull: asks the service to pull (POST /images/create) with the user's registry
// credentials from ~/.docker/config.json in X-Registry-Auth, as the docker CLI does, and draws
// the progress lines.
import { parseArgs } from 'node:util';
import type { ApiClient } from '../../client';
import { familiarName, parseReference, type Reference } from '../../image/reference';
import { CredentialStore } from '../../registry/credentials';
import { encodeAuthHeader } from '../../registry/login';
import { parsePlatform, formatPlatform } from '../../registry/platform';
import { ProgressDisplay, type JsonMessage } from '../../registry/progress';
import { CliError, withClient } from '../api';
import type { CliContext, Command } from '../command';

/** The X-Registry-Auth header for `ref`'s registry from the user's docker config ("" when none). */
export async function authHeaderFor(ref: Reference, ctx: CliContext): Promise<string> {
  const creds = await new CredentialStore({ env: ctx.env }).get(ref.domain);
  if (!creds) return '';
  return encodeAuthHeader({ username: creds.username, password: creds.password, identitytoken: creds.identityToken, serveraddress: ref.domain });
}

/** Streams a pull/push answer into the display; throws the stream's error as the CLI's. */
export async function showProgress(api: ApiClient, path: string, query: Record<string, string | undefined>, auth: string, ctx: CliContext, quiet: boolean): Promise<JsonMessage[]> {
  const display = new ProgressDisplay((t) => { if (!quiet) ctx.stdout.write(t); }, Boolean((ctx.stdout as { isTTY?: boolean }).isTTY));
  const seen: JsonMessage[] = [];
  for await (const m of api.stream<JsonMessage>('POST', path, { query, headers: auth ? { 'X-Registry-Auth': auth } : {} })) {
    seen.push(m);
    const error = display.show(m);
    if (error) throw new CliError(error);
  }
  return seen;
}

export const pullCommand: Command = {
  name: 'pull',
  summary: 'Download an image from a registry',
  usage: [
    'Usage:  slipway pull [OPTIONS] NAME[:TAG|@DIGEST]',
    '',
    'Download an image from a registry (credentials from `slipway login`/`docker login`).',
    '',
    'Options:',
    '      --platform string   Set platform if server is multi-platform capable (e.g. linux/arm64)',
    '  -q, --quiet             Suppress verbose output',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, options: { platform: { type: 'string' }, quiet: { type: 'boolean', short: 'q' } }, strict: true, allowPositionals: true });
    if (positionals.length !== 1) throw new CliError('"slipway pull" requires exactly 1 argument: NAME[:TAG|@DIGEST]');
    const ref = parseReference(positionals[0]);
    const platform = values.platform ? formatPlatform(parsePlatform(values.platform)) : undefined;
    const auth = await authHeaderFor(ref, ctx);
    await withClient(ctx, (api) => showProgress(api, '/images/create', {
      fromImage: `${ref.domain}/${ref.path}`, tag: ref.digest ?? ref.tag, platform,
    }, auth, ctx, values.quiet ?? false));
    ctx.stdout.write(`${values.quiet ? familiarName(ref) : `${ref.domain}/${ref.path}${ref.digest ? `@${ref.digest}` : `:${ref.tag}`}`}\n`);
    return 0;
  },
};
