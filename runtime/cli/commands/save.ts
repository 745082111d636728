// slipway save [-o FILE] [--format docker|oci] IMAGE...: a Docker (default) or OCI archive.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { CliError, withClient } from '../api';
import type { Command } from '../command';

export const saveCommand: Command = {
  name: 'save',
  summary: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  usage: 'Usage:  slipway save [OPTIONS] IMAGE [IMAGE...]\n\nOptions:\n  -o, --output string   Write to a file, instead of STDOUT\n      --format string   docker (default) or oci',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { output: { type: 'string', short: 'o' }, format: { type: 'string' } } });
    if (positionals.length === 0) throw new CliError('"slipway save" requires at least 1 argument');
    const format = values.format ?? 'docker';
    if (format !== 'docker' && format !== 'oci') throw new CliError(`--format must be docker or oci, not ${format}`);
    if (!values.output && (ctx.stdout as { isTTY?: boolean }).isTTY) throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect');
    const q = new URLSearchParams({ format });
    for (const n of positionals) q.append('names', n);
    await withClient(ctx, async (api) => {
      const res = await api.request('GET', `/images/get?${q.toString()}`, { timeoutMs: 0 });
      await pipeline(res, values.output ? fs.createWriteStream(path.resolve(ctx.cwd, values.output)) : ctx.stdout);
    });
    return 0;
  },
};
