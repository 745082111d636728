// slipway push: asks the service to push (POST /images/{name}/push) with the user's registry
// credentials, and draws the progress lines.
import { parseArgs } from 'node:util';
import { parseReference } from '../../image/reference';
import { CliError, withClient } from '../api';
import type { Command } from '../command';
import { authHeaderFor, showProgress } from './pull';
import { imagePath } from '../../client/paths';

export const pushCommand: Command = {
  name: 'push',
  summary: 'Upload an image to a registry',
  usage: [
    'Usage:  slipway push [OPTIONS] NAME[:TAG]',
    '',
    'Upload an image to a registry (credentials from `slipway login`/`docker login`).',
    '',
    'Options:',
    '  -q, --quiet   Suppress verbose output',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, options: { quiet: { type: 'boolean', short: 'q' } }, strict: true, allowPositionals: true });
    if (positionals.length !== 1) throw new CliError('"slipway push" requires exactly 1 argument: NAME[:TAG]');
    const ref = parseReference(positionals[0]);
    if (ref.digest) throw new CliError(`cannot push a digest reference "${positionals[0]}": push a tag`);
    const auth = await authHeaderFor(ref, ctx);
    const name = `${ref.domain}/${ref.path}`;
    await withClient(ctx, (api) => showProgress(api, `/images/${imagePath(name)}/push`, { tag: ref.tag }, auth, ctx, values.quiet ?? false));
    if (values.quiet) ctx.stdout.write(`${name}:${ref.tag}\n`);
    return 0;
  },
};
