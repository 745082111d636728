// slipway import FILE|- [REPOSITORY[:TAG]] [--change …] [-m …]: a rootfs tarball as a one-layer image.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ndjson } from '../../client';
import { parseReference, familiarRepository } from '../../image/reference';
import { CliError, withClient } from '../api';
import type { Command } from '../command';

export const importCommand: Command = {
  name: 'import',
  summary: 'Import the contents from a tarball to create a filesystem image',
  usage: 'Usage:  slipway import [OPTIONS] file|- [REPOSITORY[:TAG]]\n\nOptions:\n  -c, --change list      Apply Dockerfile instruction to the created image\n  -m, --message string   Set commit message for imported image',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { change: { type: 'string', short: 'c', multiple: true }, message: { type: 'string', short: 'm' } } });
    if (positionals.length < 1 || positionals.length > 2) throw new CliError('"slipway import" requires 1 or 2 arguments: file|- [REPOSITORY[:TAG]]');
    const src = positionals[0];
    const body = src === '-' ? process.stdin : fs.createReadStream(path.resolve(ctx.cwd, src));
    if (src !== '-' && !fs.existsSync(path.resolve(ctx.cwd, src))) throw new CliError(`open ${src}: no such file or directory`);
    const q = new URLSearchParams({ fromSrc: '-' });
    if (positionals[1]) {
      const ref = parseReference(positionals[1]);
      q.set('repo', familiarRepository(ref));
      q.set('tag', ref.tag ?? 'latest');
    }
    for (const c of values.change ?? []) q.append('changes', c);
    if (values.message) q.set('message', values.message);
    await withClient(ctx, async (api) => {
      const res = await api.request('POST', `/images/create?${q.toString()}`, { body, timeoutMs: 0, headers: { 'Content-Type': 'application/x-tar' } });
      for await (const m of ndjson<{ status?: string; error?: string }>(res)) {
        if (m.error) throw new CliError(m.error);
        if (m.status) ctx.stdout.write(`${m.status}\n`);
      }
    });
    return 0;
  },
};
