// slipway rmi IMAGE...: "Untagged: …" / "Deleted: …" lines as docker prints them.
import { parseArgs } from 'node:util';
import { CliError, withClient } from '../api';
import type { CliContext, Command } from '../command';
import { imagePath } from '../../client/paths';
import { errorText } from '../dispatch';

export async function removeImages(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { force: { type: 'boolean', short: 'f' }, 'no-prune': { type: 'boolean' } } });
  if (positionals.length === 0) throw new CliError('"slipway rmi" requires at least 1 argument');
  let status = 0;
  await withClient(ctx, async (api) => {
    for (const name of positionals) {
      try {
        const reports = await api.json<Array<{ Untagged?: string; Deleted?: string }>>('DELETE', `/images/${imagePath(name)}`, { query: { force: values.force, noprune: values['no-prune'] } });
        for (const r of reports) ctx.stdout.write(r.Untagged ? `Untagged: ${r.Untagged}\n` : `Deleted: ${r.Deleted}\n`);
      } catch (err) {
        ctx.stderr.write(`${errorText(err)}\n`);
        status = 1;
      }
    }
  });
  return status;
}

export const rmiCommand: Command = {
  name: 'rmi',
  summary: 'Remove one or more images',
  usage: 'Usage:  slipway rmi [OPTIONS] IMAGE [IMAGE...]\n\nOptions:\n  -f, --force      Force removal of the image\n      --no-prune   Do not delete untagged parents',
  run: removeImages,
};
