// slipway info: system-wide information, laid out as `docker info` does.
import { parseArgs } from 'node:util';
import { withClient } from '../api';
import type { Command } from '../command';
import { bytesSize, renderFormat } from '../format';

type Info = Record<string, unknown> & {
  Containers?: number; ContainersRunning?: number; ContainersPaused?: number; ContainersStopped?: number;
  Images?: number; MemTotal?: number; Warnings?: string[] | null;
};

export function formatInfo(info: Info): string {
  const rows: Array<[string, unknown]> = [
    ['Containers', info.Containers],
    [' Running', info.ContainersRunning],
    [' Paused', info.ContainersPaused],
    [' Stopped', info.ContainersStopped],
    ['Images', info.Images],
    ['Server Version', info.ServerVersion],
    ['Storage Driver', info.Driver],
    ['Logging Driver', info.LoggingDriver],
    ['Cgroup Driver', info.CgroupDriver],
    ['Cgroup Version', info.CgroupVersion],
    ['Default Runtime', info.DefaultRuntime],
    ['Kernel Version', info.KernelVersion],
    ['Operating System', info.OperatingSystem],
    ['OSType', info.OSType],
    ['Architecture', info.Architecture],
    ['CPUs', info.NCPU],
    ['Total Memory', typeof info.MemTotal === 'number' ? bytesSize(info.MemTotal) : undefined],
    ['Name', info.Name],
    ['Root Dir', info.DockerRootDir],
  ];
  const lines = ['Server:', ...rows.filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}: ${String(v)}`)];
  const warnings = (info.Warnings ?? []).map((w) => `WARNING: ${w}`);
  return [...lines, ...warnings].join('\n') + '\n';
}

export const infoCommand: Command = {
  name: 'info',
  summary: 'Display system-wide information',
  usage: [
    'Usage:  slipway info [OPTIONS]',
    '',
    'Display system-wide information (starts the service if needed).',
    '',
    'Options:',
    '  -f, --format string   Format output: "json", or a template such as {{.NCPU}}',
  ].join('\n'),
  async run(args, ctx) {
    const { values } = parseArgs({ args, options: { format: { type: 'string', short: 'f' } }, strict: true, allowPositionals: false });
    const info = await withClient(ctx, (api) => api.get<Info>('/info'));
    if (values.format !== undefined) ctx.stdout.write(renderFormat(values.format, info) + '\n');
    else ctx.stdout.write(formatInfo(info));
    return 0;
  },
};
