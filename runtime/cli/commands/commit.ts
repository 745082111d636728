// slipway commit CONTAINER [REPOSITORY[:TAG]]: the container's writable layer as a new image.
import { parseArgs } from 'node:util';
import { parseReference, familiarRepository } from '../../image/reference';
import { CliError, withClient } from '../api';
import type { Command } from '../command';

export const commitCommand: Command = {
  name: 'commit',
  summary: 'Create a new image from a container\'s changes',
  usage: 'Usage:  slipway commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]\n\nOptions:\n  -a, --author string    Author\n  -c, --change list      Apply Dockerfile instruction to the created image\n  -m, --message string   Commit message',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { author: { type: 'string', short: 'a' }, change: { type: 'string', short: 'c', multiple: true }, message: { type: 'string', short: 'm' } } });
    if (positionals.length < 1 || positionals.length > 2) throw new CliError('"slipway commit" requires 1 or 2 arguments: CONTAINER [REPOSITORY[:TAG]]');
    const q = new URLSearchParams({ container: positionals[0] });
    if (positionals[1]) {
      const ref = parseReference(positionals[1]);
      q.set('repo', familiarRepository(ref));
      q.set('tag', ref.tag ?? 'latest');
    }
    for (const c of values.change ?? []) q.append('changes', c);
    if (values.message) q.set('comment', values.message);
    if (values.author) q.set('author', values.author);
    const r = await withClient(ctx, (api) => api.post<{ Id: string }>(`/commit?${q.toString()}`));
    ctx.stdout.write(`${r.Id}\n`);
    return 0;
  },
};
