// slipway history IMAGE
import { parseArgs } from 'node:util';
import { CliError, withClient } from '../api';
import type { CliContext, Command } from '../command';
import { humanSizeWithPrecision } from '../format';
import { ago, table } from './images';
import { imagePath } from '../../client/paths';

interface HistoryRow { Id: string; Created: number; CreatedBy: string; Size: number; Comment: string }

export async function showHistory(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { 'no-trunc': { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } } });
  if (positionals.length !== 1) throw new CliError('"slipway history" requires exactly 1 argument');
  const rows = await withClient(ctx, (api) => api.get<HistoryRow[]>(`/images/${imagePath(positionals[0])}/history`));
  const id = (r: HistoryRow) => (r.Id.startsWith('sha256:') && !values['no-trunc'] ? r.Id.slice(7, 19) : r.Id);
  if (values.quiet) { ctx.stdout.write(rows.map((r) => `${id(r)}\n`).join('')); return 0; }
  const by = (s: string) => (values['no-trunc'] || s.length <= 45 ? s : `${s.slice(0, 44)}…`);
  ctx.stdout.write(table([['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'], ...rows.map((r) => [id(r), r.Created ? ago(r.Created) : '<missing>', by(r.CreatedBy), humanSizeWithPrecision(r.Size, 3), r.Comment])]));
  return 0;
}

export const historyCommand: Command = {
  name: 'history',
  summary: 'Show the history of an image',
  usage: 'Usage:  slipway history [OPTIONS] IMAGE\n\nOptions:\n      --no-trunc   Don\'t truncate output\n  -q, --quiet      Only show image IDs',
  run: showHistory,
};
