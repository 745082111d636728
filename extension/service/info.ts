// The summary `slipway.showServiceInfo` shows: a one-line message and a longer detail, from
// GET /version and GET /info (Docker's shapes; every field is optional so an older or newer
// service still gets a summary).
import type { VersionBody } from './connection';
import type { ServiceLocation } from './location';

/** The fields of GET /info the summary reads. */
export interface InfoBody {
  Name?: string;
  ServerVersion?: string;
  Containers?: number;
  ContainersRunning?: number;
  Images?: number;
  Driver?: string;
  KernelVersion?: string;
  OperatingSystem?: string;
  CgroupVersion?: string;
  CgroupDriver?: string;
  NCPU?: number;
  MemTotal?: number;
  DockerRootDir?: string;
  SecurityOptions?: string[];
  [field: string]: unknown;
}

export interface ServiceInfoSummary {
  message: string;
  detail: string[];
}

function plural(n: number | undefined, one: string): string | undefined {
  return n === undefined ? undefined : `${n} ${one}${n === 1 ? '' : 's'}`;
}

function gib(bytes: number | undefined): string | undefined {
  return bytes === undefined ? undefined : `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

export function summarizeServiceInfo(version: VersionBody, info: InfoBody, location: ServiceLocation): ServiceInfoSummary {
  const running = info.ContainersRunning === undefined ? '' : ` (${info.ContainersRunning} running)`;
  const containers = plural(info.Containers, 'container');
  const counts = [containers && containers + running, plural(info.Images, 'image')].filter(Boolean).join(', ');
  const message = `Slipway ${version.Version} (API ${version.ApiVersion})${counts ? ` — ${counts}` : ''}`;
  const rootless = info.SecurityOptions?.some((o) => o.includes('rootless'));
  const rows: [string, string | undefined][] = [
    ['Server version', version.Version],
    ['API version', version.MinAPIVersion ? `${version.ApiVersion} (minimum ${version.MinAPIVersion})` : version.ApiVersion],
    ['Operating system', info.OperatingSystem],
    ['Kernel', info.KernelVersion ?? version.KernelVersion],
    ['Architecture', version.Arch],
    ['CPUs / memory', info.NCPU === undefined ? undefined : `${info.NCPU} / ${gib(info.MemTotal) ?? '?'}`],
    ['Storage driver', info.Driver],
    ['Cgroups', info.CgroupVersion ? `v${info.CgroupVersion}${info.CgroupDriver ? ` (${info.CgroupDriver})` : ''}` : undefined],
    ['Mode', info.SecurityOptions ? (rootless ? 'rootless' : 'root') : undefined],
    ['State directory', info.DockerRootDir ?? location.stateRoot],
    ['Socket', location.socketPath],
  ];
  return { message, detail: rows.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}: ${v}`) };
}
