// slipway system df: disk usage of images (containers and volumes are counted by their parts).
import { CliError, withClient } from '../api';
import type { Command } from '../command';
import { bytesSize } from '../format';
import { table } from './images';

interface Df { LayersSize: number; Images: Array<{ Size: number; SharedSize: number; Containers: number }>; Containers?: unknown[]; Volumes?: unknown[] }

export function renderDf(df: Df): string {
  const active = df.Images.filter((i) => i.Containers > 0);
  const reclaim = df.Images.filter((i) => i.Containers === 0).reduce((n, i) => n + i.Size - i.SharedSize, 0);
  const pct = df.LayersSize > 0 ? ` (${Math.round((reclaim / df.LayersSize) * 100)}%)` : '';
  return table([
    ['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'],
    ['Images', String(df.Images.length), String(active.length), bytesSize(df.LayersSize), `${bytesSize(reclaim)}${pct}`],
    ['Containers', String(df.Containers?.length ?? 0), '0', '0B', '0B'],
    ['Local Volumes', String(df.Volumes?.length ?? 0), '0', '0B', '0B'],
  ]);
}

export const systemCommand: Command = {
  name: 'system',
  summary: 'Manage Slipway (system df)',
  usage: 'Usage:  slipway system df',
  async run(args, ctx) {
    if (args[0] !== 'df') throw new CliError('usage: slipway system df');
    const df = await withClient(ctx, (api) => api.get<Df>('/system/df'));
    ctx.stdout.write(renderDf(df));
    return 0;
  },
};
