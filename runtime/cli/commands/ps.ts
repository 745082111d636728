// slipway ps: the container list as docker ps prints it (table, -q, --format json, -a, -n,
// --filter key=value, --no-trunc).
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '../../errors';
import { withClient } from '../api';
import type { Command } from '../command';
import { humanSizeWithPrecision, renderFormat } from '../format';
import { ago, commandText, portsText, table, type ListedPort } from './table';

export interface ListedContainer {
  Id: string; Names: string[]; Image: string; Command: string; Created: number; Ports: ListedPort[];
  Labels: Record<string, string>; State: string; Status: string; Mounts: Array<{ Name?: string; Source: string }>;
  /** With ?size=1 (ps -s): the writable layer's bytes, and with the image's. */
  SizeRw?: number; SizeRootFs?: number;
}

/** docker's SIZE column: "2B (virtual 4.26MB)", 3 significant digits (units.HumanSizeWithPrecision). */
export function sizeText(c: Pick<ListedContainer, 'SizeRw' | 'SizeRootFs'>): string {
  const rw = humanSizeWithPrecision(c.SizeRw ?? 0, 3);
  return (c.SizeRootFs ?? 0) > 0 ? `${rw} (virtual ${humanSizeWithPrecision(c.SizeRootFs!, 3)})` : rw;
}

/** The fields docker's `--format '{{json .}}'` gives for one container. */
export function psFields(c: ListedContainer, trunc = true) {
  return {
    Command: commandText(c.Command, trunc), CreatedAt: new Date(c.Created * 1000).toISOString(), ID: trunc ? c.Id.slice(0, 12) : c.Id,
    Image: c.Image, Labels: Object.entries(c.Labels).map(([k, v]) => `${k}=${v}`).join(','), LocalVolumes: String(c.Mounts.filter((m) => m.Name).length),
    Mounts: c.Mounts.map((m) => m.Name ?? m.Source).join(','), Names: c.Names.map((n) => n.replace(/^\//, '')).join(','), Networks: '',
    Ports: portsText(c.Ports), RunningFor: ago(c.Created), Size: sizeText(c), State: c.State, Status: c.Status,
  };
}

/** --filter key=value (repeatable) → the API's filters object. */
export function filtersOf(list: readonly string[] | undefined): Record<string, string[]> | undefined {
  if (!list?.length) return undefined;
  const out: Record<string, string[]> = {};
  for (const f of list) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`bad format of filter (expected name=value): ${f}`);
    (out[f.slice(0, eq)] ??= []).push(f.slice(eq + 1));
  }
  return out;
}

export const psCommand: Command = {
  name: 'ps',
  summary: 'List containers',
  usage: [
    'Usage:  slipway ps [OPTIONS]',
    '',
    'List containers',
    '',
    'Options:',
    '  -a, --all             Show all containers (default shows just running)',
    '  -f, --filter filter   Filter output based on conditions provided',
    '      --format string   "table" (default), "json", or a template such as {{.ID}}',
    '  -n, --last int        Show n last created containers (includes all states)',
    '  -l, --latest          Show the latest created container (includes all states)',
    '      --no-trunc        Don\'t truncate output',
    '  -q, --quiet           Only display container IDs',
    '  -s, --size            Display total file sizes',
  ].join('\n'),
  async run(args, ctx) {
    const { values } = parseArgs({
      args, strict: true, allowPositionals: false,
      options: {
        all: { type: 'boolean', short: 'a' }, filter: { type: 'string', short: 'f', multiple: true }, format: { type: 'string' },
        last: { type: 'string', short: 'n' }, latest: { type: 'boolean', short: 'l' }, 'no-trunc': { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' }, size: { type: 'boolean', short: 's' },
      },
    });
    const limit = values.latest ? 1 : values.last !== undefined ? Number(values.last) : undefined;
    const list = await withClient(ctx, (api) => api.get<ListedContainer[]>('/containers/json', { query: { all: values.all, limit, size: values.size, filters: filtersOf(values.filter) } }));
    const trunc = !values['no-trunc'];
    if (values.quiet) {
      ctx.stdout.write(list.map((c) => `${trunc ? c.Id.slice(0, 12) : c.Id}\n`).join(''));
      return 0;
    }
    const fields = list.map((c) => psFields(c, trunc));
    if (values.format && values.format !== 'table') {
      const fmt = values.format === 'json' ? '{{json .}}' : values.format;
      ctx.stdout.write(fields.map((f) => `${renderFormat(fmt, f)}\n`).join(''));
      return 0;
    }
    const header = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES', ...(values.size ? ['SIZE'] : [])];
    ctx.stdout.write(table(header, fields.map((f) => [f.ID, f.Image, f.Command, f.RunningFor, f.Status, f.Ports, f.Names, ...(values.size ? [f.Size] : [])])));
    return 0;
  },
};
