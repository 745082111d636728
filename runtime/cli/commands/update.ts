// slipway update [OPTIONS] CONTAINER [CONTAINER...] (docker update): new resource limits and
// restart policy for running and stopped containers (POST /containers/{id}/update). Flags
// left out are sent as zero, which the service reads as "unchanged", as dockerd does.
import { parseArgs } from 'node:util';
import { parseCpus, parseMemoryFlag, parseRestartFlag } from '../../container/config/flags';
import type { UpdateRequest } from '../../container/update';
import { idPath } from '../../client/paths';
import { CliError, withClient } from '../api';
import type { Command } from '../command';
import { forEach, needArgs } from './container-io';

const OPTIONS = {
  'cpu-shares': { type: 'string', short: 'c' },
  'cpu-period': { type: 'string' },
  'cpu-quota': { type: 'string' },
  cpus: { type: 'string' },
  memory: { type: 'string', short: 'm' },
  'memory-swap': { type: 'string' },
  'memory-reservation': { type: 'string' },
  'pids-limit': { type: 'string' },
  restart: { type: 'string' },
} as const;

type UpdateFlags = Partial<Record<keyof typeof OPTIONS, string>>;

function integer(flag: string, value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new CliError(`invalid argument "${value}" for "--${flag}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`);
  return Number(value);
}

/** The flags as the body docker's CLI sends; "You must provide one or more flags" without any. */
export function updateRequest(flags: UpdateFlags): UpdateRequest {
  if (Object.values(flags).every((v) => v === undefined)) throw new CliError('you must provide one or more flags when using this command');
  const req: UpdateRequest = {};
  if (flags['cpu-shares'] !== undefined) req.CpuShares = integer('cpu-shares', flags['cpu-shares']);
  if (flags['cpu-period'] !== undefined) req.CpuPeriod = integer('cpu-period', flags['cpu-period']);
  if (flags['cpu-quota'] !== undefined) req.CpuQuota = integer('cpu-quota', flags['cpu-quota']);
  if (flags.cpus !== undefined) req.NanoCpus = parseCpus(flags.cpus);
  if (flags.memory !== undefined) req.Memory = parseMemoryFlag('--memory', flags.memory);
  if (flags['memory-swap'] !== undefined) req.MemorySwap = parseMemoryFlag('--memory-swap', flags['memory-swap'], true);
  if (flags['memory-reservation'] !== undefined) req.MemoryReservation = parseMemoryFlag('--memory-reservation', flags['memory-reservation']);
  if (flags['pids-limit'] !== undefined) req.PidsLimit = integer('pids-limit', flags['pids-limit']);
  if (flags.restart !== undefined) req.RestartPolicy = parseRestartFlag(flags.restart);
  return req;
}

export const updateCommand: Command = {
  name: 'update',
  summary: 'Update configuration of one or more containers',
  usage: [
    'Usage:  slipway update [OPTIONS] CONTAINER [CONTAINER...]',
    '',
    'Update configuration of one or more containers',
    '',
    'Options:',
    '  -c, --cpu-shares int             CPU shares (relative weight)',
    '      --cpu-period int             Limit CPU CFS (Completely Fair Scheduler) period',
    '      --cpu-quota int              Limit CPU CFS (Completely Fair Scheduler) quota',
    '      --cpus decimal               Number of CPUs',
    '  -m, --memory bytes               Memory limit',
    '      --memory-swap bytes          Swap limit equal to memory plus swap: -1 to enable unlimited swap',
    '      --memory-reservation bytes   Memory soft limit',
    '      --pids-limit int             Tune container pids limit (set -1 for unlimited)',
    '      --restart string             Restart policy to apply when a container exits',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true });
    needArgs('update', positionals, 1, 'CONTAINER [CONTAINER...]');
    const body = updateRequest(values);
    return withClient(ctx, (api) => forEach(ctx, positionals, async (ref) => {
      const r = await api.post<{ Warnings?: string[] | null }>(`/containers/${idPath(ref)}/update`, body);
      for (const w of r?.Warnings ?? []) ctx.stderr.write(`${w}\n`);
      return ref;
    }));
  },
};
