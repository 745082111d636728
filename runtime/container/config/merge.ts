// POST /containers/create body + the image's config → what the container record stores
// (Docker's Config/HostConfig after the daemon's merge and defaults), validated with moby's
// checks and wording. Pure: everything the host would tell (CPU count, hostname, the network
// container) comes in through `ctx`.
import { InvalidArgumentError, NotFoundError } from '../../errors';
import { planMounts } from './mounts';
import { checkHealthConfig, mergeHealthcheck } from '../health/schedule';
import { parseSignal } from './signals';
import type { CreateRequest, HostConfig, ImageConfig, MergedConfig, StrSlice } from './types';

export interface MergeContext {
  /** The new container's id: the default hostname is its first 12 characters. */
  id: string;
  /** Online CPUs, for the --cpus range check. */
  hostCpus: number;
  /** The host's hostname: a --network host container uses it. */
  hostHostname: string;
  /** For NetworkMode container:<ref>: the container found (the caller resolves the reference). */
  networkContainer?: { id: string; hostname: string; domainname: string };
}

const MIN_MEMORY = 6 * 1024 * 1024;

function strSlice(v: StrSlice | undefined): string[] | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? [v] : [...v];
}

/** Docker's ReplaceOrAppendEnvValues: later entries replace earlier ones by name; a bare "K" removes K. */
export function mergeEnv(base: readonly string[], overrides: readonly string[]): string[] {
  const out = [...base];
  const nameOf = (e: string) => (e.includes('=') ? e.slice(0, e.indexOf('=')) : e);
  for (const e of overrides) {
    const i = out.findIndex((x) => nameOf(x) === nameOf(e));
    if (!e.includes('=')) {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = e;
    else out.push(e);
  }
  return out;
}

/**
 * Entrypoint/Cmd as the daemon merges them: a user Entrypoint (even [""], docker's
 * `--entrypoint ""`) drops the image's Cmd; without one, an empty Cmd takes the image's, and
 * the image's Entrypoint stays. Path/Args: the first word runs, the rest are its arguments.
 */
export function mergeCommand(userEntrypoint: string[] | null, userCmd: string[] | null, image: ImageConfig): { entrypoint: string[] | null; cmd: string[] | null; path: string; args: string[] } {
  let entrypoint = userEntrypoint;
  let cmd = userCmd;
  if (!entrypoint || entrypoint.length === 0) {
    if (!cmd || cmd.length === 0) cmd = image.Cmd ? [...image.Cmd] : null;
    if (entrypoint === null) entrypoint = image.Entrypoint ? [...image.Entrypoint] : null;
  }
  // [""] is "no entrypoint" once the merge is done.
  const ep = (entrypoint ?? []).filter((x, i) => !(i === 0 && x === '' && entrypoint!.length === 1));
  const argv = [...ep, ...(cmd ?? [])];
  if (argv.length === 0) throw new InvalidArgumentError('no command specified');
  return { entrypoint, cmd, path: argv[0], args: argv.slice(1) };
}

/** "none", "host", "default", "bridge", "container:<ref>". */
export function parseNetworkMode(mode: string | undefined): { kind: 'none' | 'host' | 'private' } | { kind: 'container'; ref: string } {
  const m = mode || 'default';
  if (m === 'none') return { kind: 'none' };
  if (m === 'host') return { kind: 'host' };
  // No bridge yet: "default"/"bridge" get their own network namespace with only loopback.
  if (m === 'default' || m === 'bridge') return { kind: 'private' };
  if (m.startsWith('container:')) {
    const ref = m.slice('container:'.length);
    if (!ref) throw new InvalidArgumentError(`invalid network mode: ${m}`);
    return { kind: 'container', ref };
  }
  throw new NotFoundError(`network ${m} not found`);
}

const RESTART_POLICIES = ['', 'no', 'always', 'unless-stopped', 'on-failure'];

/** moby's ValidateRestartPolicy, with its wording. */
export function checkRestartPolicy(p: HostConfig['RestartPolicy']): void {
  const name = p?.Name ?? '';
  const max = p?.MaximumRetryCount ?? 0;
  if (!RESTART_POLICIES.includes(name)) throw new InvalidArgumentError(`invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  if (max < 0) throw new InvalidArgumentError('invalid restart policy: maximum retry count cannot be negative');
  if (max > 0 && name !== 'on-failure') throw new InvalidArgumentError(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
}

export function mergeCreateRequest(body: CreateRequest, image: ImageConfig, ctx: MergeContext): MergedConfig {
  const hc = { ...(body.HostConfig ?? {}) };
  const command = mergeCommand(strSlice(body.Entrypoint), strSlice(body.Cmd), image);

  const workingDir = body.WorkingDir || image.WorkingDir || '';
  if (workingDir && !workingDir.startsWith('/')) {
    throw new InvalidArgumentError(`the working directory '${workingDir}' is invalid, it needs to be an absolute path`);
  }
  const stopSignal = body.StopSignal || image.StopSignal;
  if (stopSignal) parseSignal(stopSignal);
  checkHealthConfig(body.Healthcheck ?? undefined);
  const healthcheck = mergeHealthcheck(body.Healthcheck, image.Healthcheck);
  const shell = body.Shell?.length ? body.Shell : image.Shell?.length ? image.Shell : undefined;

  // Resources, with moby's verifyPlatformContainerResources checks and wording.
  const memory = hc.Memory ?? 0;
  let memorySwap = hc.MemorySwap ?? 0;
  if (memory !== 0 && memory < MIN_MEMORY) throw new InvalidArgumentError('Minimum memory limit allowed is 6MB');
  if (memorySwap > 0 && memory === 0) throw new InvalidArgumentError('You should always set the Memory limit when using Memoryswap limit, see usage');
  if (memorySwap > 0 && memorySwap < memory) throw new InvalidArgumentError('Minimum memoryswap limit should be larger than memory limit, see usage');
  // moby adaptContainerSettings: by default a container may swap as much as its memory.
  if (memory > 0 && memorySwap === 0) memorySwap = memory * 2;
  const nano = hc.NanoCpus ?? 0;
  if (nano && hc.CpuPeriod) throw new InvalidArgumentError('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nano && hc.CpuQuota) throw new InvalidArgumentError('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (nano < 0 || nano > ctx.hostCpus * 1e9) {
    throw new InvalidArgumentError(`Range of CPUs is from 0.01 to ${ctx.hostCpus}.00, as there are only ${ctx.hostCpus} CPUs available`);
  }
  if (hc.CpuPeriod && (hc.CpuPeriod < 1000 || hc.CpuPeriod > 1_000_000)) {
    throw new InvalidArgumentError('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1 second (i.e. 1000000)');
  }
  if (hc.CpuQuota && hc.CpuQuota > 0 && hc.CpuQuota < 1000) throw new InvalidArgumentError('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if (hc.CpuShares && hc.CpuShares < 0) throw new InvalidArgumentError(`invalid CPU shares (${hc.CpuShares}): value must be a positive integer`);

  // Network.
  const net = parseNetworkMode(hc.NetworkMode);
  const ports = Object.keys(hc.PortBindings ?? {}).length > 0;
  // moby's validateNetContainerMode: only a container: network conflicts with a hostname;
  // --network host keeps its own UTS namespace, so -h names it (docker 28 allows it).
  if (net.kind === 'container' && body.Hostname) {
    throw new InvalidArgumentError('conflicting options: hostname and the network mode');
  }
  if (net.kind === 'container' && ports) throw new InvalidArgumentError('conflicting options: port publishing and the container type network mode');
  if (net.kind === 'container' && !ctx.networkContainer) throw new NotFoundError(`No such container: ${net.ref}`);
  for (const key of Object.keys(hc.PortBindings ?? {})) {
    if (!/^\d{1,5}(\/(tcp|udp|sctp))?$/.test(key)) throw new InvalidArgumentError(`invalid port specification: "${key}"`);
  }
  checkRestartPolicy(hc.RestartPolicy);
  if (hc.AutoRemove && hc.RestartPolicy?.Name && hc.RestartPolicy.Name !== 'no') {
    throw new InvalidArgumentError("can't create 'AutoRemove' container with restart policy");
  }

  let hostname = body.Hostname || ctx.id.slice(0, 12);
  let domainname = body.Domainname ?? '';
  if (net.kind === 'host' && !body.Hostname) hostname = ctx.hostHostname;
  if (net.kind === 'container' && ctx.networkContainer) {
    hostname = ctx.networkContainer.hostname;
    domainname = ctx.networkContainer.domainname;
  }
  if (!/^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,62})$/.test(hostname)) throw new InvalidArgumentError(`invalid hostname format: ${hostname}`);

  const volumes = { ...(image.Volumes ?? {}), ...(body.Volumes ?? {}) };
  const exposed = { ...(image.ExposedPorts ?? {}), ...(body.ExposedPorts ?? {}) };
  for (const key of Object.keys(hc.PortBindings ?? {})) exposed[key.includes('/') ? key : `${key}/tcp`] = {};
  const hostConfig = {
    ...hc,
    NetworkMode: hc.NetworkMode || 'default',
    Binds: hc.Binds ?? null,
    Memory: memory,
    MemorySwap: memorySwap,
  };
  // Validates every -v/--mount/--tmpfs/VOLUME now, so a bad one fails create, not start.
  planMounts(hostConfig.Binds, hostConfig.Tmpfs, volumes, hostConfig.Mounts);

  return {
    config: {
      Hostname: hostname,
      Domainname: domainname,
      User: body.User || image.User || '',
      AttachStdin: body.AttachStdin ?? false,
      AttachStdout: body.AttachStdout ?? false,
      AttachStderr: body.AttachStderr ?? false,
      Tty: body.Tty ?? false,
      OpenStdin: body.OpenStdin ?? false,
      StdinOnce: body.StdinOnce ?? false,
      Env: mergeEnv(image.Env ?? [], body.Env ?? []),
      Cmd: command.cmd,
      Entrypoint: command.entrypoint,
      Image: body.Image ?? '',
      Volumes: Object.keys(volumes).length ? volumes : null,
      ExposedPorts: Object.keys(exposed).length ? exposed : null,
      WorkingDir: workingDir,
      Labels: { ...(image.Labels ?? {}), ...(body.Labels ?? {}) },
      ...(stopSignal ? { StopSignal: stopSignal } : {}),
      ...(typeof body.StopTimeout === 'number' ? { StopTimeout: body.StopTimeout } : {}),
      ...(healthcheck ? { Healthcheck: healthcheck } : {}),
      ...(shell ? { Shell: shell } : {}),
    },
    hostConfig,
    path: command.path,
    args: command.args,
  };
}
