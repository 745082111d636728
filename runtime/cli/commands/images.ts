// slipway images: the image table, as `docker images` prints it.
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { bytesSize } from '../format';

export interface ImageSummary { Id: string; RepoTags: string[] | null; Created: number; Size: number }

/** "3 minutes ago", as Docker's units.HumanDuration (minutes floored, hours rounded). */
export function ago(unixSeconds: number, now = Date.now()): string {
  const s = Math.max(0, Math.floor(now / 1000 - unixSeconds));
  const text = (() => {
    if (s < 1) return 'Less than a second';
    if (s === 1) return '1 second';
    if (s < 60) return `${s} seconds`;
    const m = Math.floor(s / 60);
    if (m === 1) return 'About a minute';
    if (m < 60) return `${m} minutes`;
    const h = Math.round(s / 3600);
    if (h === 1) return 'About an hour';
    if (h < 48) return `${h} hours`;
    if (h < 24 * 7 * 2) return `${Math.floor(h / 24)} days`;
    if (h < 24 * 30 * 2) return `${Math.floor(h / 24 / 7)} weeks`;
    if (h < 24 * 365 * 2) return `${Math.floor(h / 24 / 30)} months`;
    return `${Math.floor(h / 24 / 365)} years`;
  })();
  return `${text} ago`;
}

/** Rows of a whitespace-aligned table (3 spaces between columns, as Docker's tabwriter). */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join('').trimEnd()).join('\n') + '\n';
}

export function imageTable(images: ImageSummary[], options: { quiet?: boolean; now?: number } = {}): string {
  if (options.quiet) return images.map((i) => `${i.Id.slice(7, 19)}\n`).join('');
  const rows = [['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE']];
  for (const i of images) {
    const tags = i.RepoTags && i.RepoTags.length > 0 ? i.RepoTags : ['<none>:<none>'];
    for (const t of tags) {
      const at = t.lastIndexOf(':');
      rows.push([t.slice(0, at), t.slice(at + 1), i.Id.slice(7, 19), ago(i.Created, options.now), bytesSize(i.Size)]);
    }
  }
  return table(rows);
}

export async function listImages(args: string[], ctx: Parameters<Command['run']>[1]): Promise<number> {
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { all: { type: 'boolean', short: 'a' }, quiet: { type: 'boolean', short: 'q' } } });
  const images = await withClient(ctx, (api) => api.get<ImageSummary[]>('/images/json', { query: { all: values.all, ...(positionals[0] ? { filters: { reference: [positionals[0]] } } : {}) } }));
  ctx.stdout.write(imageTable(images, { quiet: values.quiet }));
  return 0;
}

export const imagesCommand: Command = {
  name: 'images',
  summary: 'List images',
  usage: 'Usage:  slipway images [OPTIONS] [REPOSITORY[:TAG]]\n\nOptions:\n  -a, --all     Show all images\n  -q, --quiet   Only show image IDs',
  run: listImages,
};
