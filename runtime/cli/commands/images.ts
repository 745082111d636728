// slipway images: the image table, as `docker images` prints it.
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { humanSizeWithPrecision } from '../format';
import { ago, table as tabulate } from './table';

export interface ImageSummary { Id: string; RepoTags: string[] | null; Created: number; Size: number }

// "3 minutes ago" is table.ts's ago (Docker's units.HumanDuration); re-exported for callers here.
export { ago };

/** A table whose first row is the header (table.ts's layout). */
export function table(rows: string[][]): string {
  return tabulate(rows[0], rows.slice(1));
}

export function imageTable(images: ImageSummary[], options: { quiet?: boolean; now?: number } = {}): string {
  if (options.quiet) return images.map((i) => `${i.Id.slice(7, 19)}\n`).join('');
  const rows = [['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE']];
  for (const i of images) {
    const tags = i.RepoTags && i.RepoTags.length > 0 ? i.RepoTags : ['<none>:<none>'];
    for (const t of tags) {
      const at = t.lastIndexOf(':');
      rows.push([t.slice(0, at), t.slice(at + 1), i.Id.slice(7, 19), ago(i.Created, options.now), humanSizeWithPrecision(i.Size, 3)]);
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
