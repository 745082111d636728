// slipway layers IMAGE: what every layer added (A), changed (C) and deleted (D), with the
// instruction that made it (and its Dockerfile lines, for layers built here) — the per-layer
// preview's data on the command line.
import { parseArgs } from 'node:util';
import { formatLayerSource, type LayerChanges } from '../../image/layer-changes';
import { CliError, withClient } from '../api';
import type { Command } from '../command';
import { humanSizeWithPrecision } from '../format';
import { imagePath } from '../../client/paths';

const MARK = { added: 'A', modified: 'C', deleted: 'D' } as const;

export function renderLayers(layers: LayerChanges[], options: { limit?: number } = {}): string {
  const out: string[] = [];
  for (const [i, l] of layers.entries()) {
    const counts = { added: 0, modified: 0, deleted: 0 };
    for (const c of l.changes) counts[c.kind]++;
    // Where the instruction is (Dockerfile:4-6) when this layer was built here.
    const where = l.source ? `${formatLayerSource(l.source)}  ` : '';
    out.push(`Layer ${i + 1}: ${l.diffID.slice(7, 19)}  ${humanSizeWithPrecision(l.size, 3)}  +${counts.added} ~${counts.modified} -${counts.deleted}  ${where}${l.createdBy ?? ''}`.trimEnd());
    const shown = options.limit !== undefined ? l.changes.slice(0, options.limit) : l.changes;
    for (const c of shown) out.push(`  ${MARK[c.kind]} ${c.path}${c.type === 'file' && c.kind !== 'deleted' ? `  (${humanSizeWithPrecision(c.size, 3)})` : ''}`);
    if (shown.length < l.changes.length) out.push(`  … ${l.changes.length - shown.length} more`);
  }
  return out.join('\n') + '\n';
}

export const layersCommand: Command = {
  name: 'layers',
  summary: 'Show what each layer of an image added, changed and deleted',
  usage: 'Usage:  slipway layers [OPTIONS] IMAGE\n\nOptions:\n      --json        Print the change lists as JSON\n  -n, --limit int   Show at most this many changes per layer',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { json: { type: 'boolean' }, limit: { type: 'string', short: 'n' } } });
    if (positionals.length !== 1) throw new CliError('"slipway layers" requires exactly 1 argument: IMAGE');
    const layers = await withClient(ctx, (api) => api.get<LayerChanges[]>(`/slipway/images/${imagePath(positionals[0])}/layers`));
    ctx.stdout.write(values.json ? JSON.stringify(layers, null, 2) + '\n' : renderLayers(layers, { limit: values.limit ? Number(values.limit) : undefined }));
    return 0;
  },
};
