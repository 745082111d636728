// slipway load [-i FILE]: a Docker or OCI archive into the store.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ndjson } from '../../client';
import { CliError, withClient } from '../api';
import type { Command } from '../command';

export const loadCommand: Command = {
  name: 'load',
  summary: 'Load an image from a tar archive or STDIN',
  usage: 'Usage:  slipway load [OPTIONS]\n\nOptions:\n  -i, --input string   Read from tar archive file, instead of STDIN\n  -q, --quiet          Suppress the load output',
  async run(args, ctx) {
    const { values } = parseArgs({ args, strict: true, options: { input: { type: 'string', short: 'i' }, quiet: { type: 'boolean', short: 'q' } } });
    const file = values.input ? path.resolve(ctx.cwd, values.input) : undefined;
    if (file && !fs.existsSync(file)) throw new CliError(`open ${values.input}: no such file or directory`);
    await withClient(ctx, async (api) => {
      const res = await api.request('POST', '/images/load', { body: file ? fs.createReadStream(file) : process.stdin, timeoutMs: 0, headers: { 'Content-Type': 'application/x-tar' } });
      for await (const m of ndjson<{ stream?: string; error?: string }>(res)) {
        if (m.error) throw new CliError(m.error);
        if (m.stream && !values.quiet) ctx.stdout.write(m.stream);
      }
    });
    return 0;
  },
};
