// slipway volume create|ls|inspect|rm|prune (docker volume).
import { parseArgs } from 'node:util';
import { CliError, withClient } from '../api';
import type { Command } from '../command';
import { renderFormat } from '../format';
import { forEach, needArgs } from './container-io';
import { filtersOf } from './ps';
import { table } from './table';

interface Volume { Name: string; Driver: string; Mountpoint: string; Labels: Record<string, string> }

const USAGE = [
  'Usage:  slipway volume COMMAND',
  '',
  'Manage volumes',
  '',
  'Commands:',
  '  create [--label k=v] [NAME]   Create a volume',
  '  inspect VOLUME...             Display detailed information on one or more volumes',
  '  ls [-q] [-f filter]           List volumes',
  '  prune [-a] [-f]               Remove unused local volumes (anonymous ones unless -a)',
  '  rm [-f] VOLUME...             Remove one or more volumes',
].join('\n');

export const volumeCommand: Command = {
  name: 'volume',
  summary: 'Manage volumes',
  usage: USAGE,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    return withClient(ctx, async (api) => {
      switch (sub) {
        case 'create': {
          const { values, positionals } = parseArgs({ args: rest, options: { label: { type: 'string', multiple: true }, name: { type: 'string' } }, strict: true, allowPositionals: true });
          const labels = Object.fromEntries((values.label ?? []).map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1)]));
          const v = await api.post<Volume>('/volumes/create', { Name: positionals[0] ?? values.name ?? '', Labels: labels });
          ctx.stdout.write(`${v.Name}\n`);
          return 0;
        }
        case 'ls':
        case 'list': {
          const { values } = parseArgs({ args: rest, options: { quiet: { type: 'boolean', short: 'q' }, filter: { type: 'string', short: 'f', multiple: true }, format: { type: 'string' } }, strict: true });
          const { Volumes } = await api.get<{ Volumes: Volume[] }>('/volumes', { query: { filters: filtersOf(values.filter) } });
          if (values.quiet) ctx.stdout.write(Volumes.map((v) => `${v.Name}\n`).join(''));
          else if (values.format) ctx.stdout.write(Volumes.map((v) => `${renderFormat(values.format === 'json' ? '{{json .}}' : values.format!, v)}\n`).join(''));
          else ctx.stdout.write(table(['DRIVER', 'VOLUME NAME'], Volumes.map((v) => [v.Driver, v.Name])));
          return 0;
        }
        case 'inspect': {
          needArgs('volume inspect', rest, 1, 'VOLUME [VOLUME...]');
          const found = await Promise.all(rest.map((n) => api.get(`/volumes/${encodeURIComponent(n)}`)));
          ctx.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
          return 0;
        }
        case 'rm':
        case 'remove': {
          const { values, positionals } = parseArgs({ args: rest, options: { force: { type: 'boolean', short: 'f' } }, strict: true, allowPositionals: true });
          needArgs('volume rm', positionals, 1, 'VOLUME [VOLUME...]');
          return forEach(ctx, positionals, async (n) => {
            await api.request('DELETE', `/volumes/${encodeURIComponent(n)}`, { query: { force: values.force } }).then((r) => r.resume());
            return n;
          });
        }
        case 'prune': {
          const { values } = parseArgs({ args: rest, options: { all: { type: 'boolean', short: 'a' }, force: { type: 'boolean', short: 'f' } }, strict: true });
          const r = await api.post<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }>('/volumes/prune', undefined, { query: { filters: values.all ? { all: ['true'] } : undefined } });
          const deleted = r.VolumesDeleted ?? [];
          if (deleted.length) ctx.stdout.write(`Deleted Volumes:\n${deleted.map((d) => `${d}\n`).join('')}\n`);
          ctx.stdout.write(`Total reclaimed space: ${r.SpaceReclaimed}B\n`);
          return 0;
        }
        default:
          throw new CliError(sub ? `slipway volume: '${sub}' is not a volume command.\n${USAGE}` : USAGE);
      }
    });
  },
};
