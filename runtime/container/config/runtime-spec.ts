// A stored container (merged Config/HostConfig) + what the host decided at start (rootfs,
// user, volume directories, stdio, namespace paths) → the RuntimeSpec the start-up consumes.
// Pure: every path and id comes in through `SpecInput`.
import path from 'node:path';
import { InvalidArgumentError } from '../../errors';
import type { LinuxResources, LinuxSpec, MountSpec, NamespaceType, RuntimeSpec, SlipwaySpec } from '../spec';
import { tweakCapabilities } from './capabilities';
import { DEFAULT_MASKED_PATHS, DEFAULT_PATH_ENV, DEFAULT_READONLY_PATHS, DEFAULT_SHM_SIZE, defaultMounts, ULIMIT_NAMES } from './defaults';
import { mergeEnv, parseNetworkMode } from './merge';
import { toMountSpecs, type ResolvedMount } from './mounts';
import type { HostConfig, MergedConfig } from './types';
import { withGroupAdd, type ResolvedUser } from './user';

export interface SpecInput {
  id: string;
  merged: MergedConfig;
  /** Where the rootfs is (the overlay's mount point) and how it is assembled. */
  rootPath: string;
  overlay?: SlipwaySpec['overlay'];
  user: ResolvedUser;
  mounts: readonly ResolvedMount[];
  stdio: SlipwaySpec['stdio'];
  /** Relative to each hierarchy's root, e.g. "slipway/<id>" (omitted: the start-up adds no cgroup). */
  cgroupsPath?: string;
  /** For NetworkMode container:<ref>: the other container's net namespace, /proc/<pid>/ns/net. */
  networkNamespacePath?: string;
  /** Make a cgroup namespace (Docker does on cgroup v2 hosts, not on v1). */
  cgroupNamespace?: boolean;
  /** Host path of a tini-like init for HostConfig.Init; mounted at /sbin/docker-init. */
  initBinary?: string;
  /** What --privileged / --cap-add ALL give: the service's own bounding set (default: every known capability). */
  boundingCapabilities?: readonly string[];
  /**
   * The container's init layer (holding etc/hostname, etc/hosts, etc/resolv.conf). Default:
   * the overlay's top lower dir, where the manager puts it (manager-create.ts).
   */
  initLayerDir?: string;
}

export const DOCKER_INIT_PATH = '/sbin/docker-init';
const DEFAULT_CPU_PERIOD = 100_000;

/** The container's environment: Docker's PATH and HOSTNAME, TERM for a TTY, then the config's; HOME from passwd if unset. */
export function containerEnv(merged: MergedConfig, home: string): string[] {
  const base = [DEFAULT_PATH_ENV, `HOSTNAME=${merged.config.Hostname}`];
  if (merged.config.Tty) base.push('TERM=xterm');
  const env = mergeEnv(base, merged.config.Env);
  if (!env.some((e) => e.startsWith('HOME='))) env.push(`HOME=${home}`);
  return env;
}

/** The files Docker bind-mounts over the image's (container.NetworkMounts): the container's own copies. */
export const NETWORK_FILES = ['/etc/resolv.conf', '/etc/hostname', '/etc/hosts'] as const;

/**
 * Binds of the init layer's hostname/hosts/resolv.conf over the rootfs's, as dockerd mounts
 * the container's own files (rbind, rprivate; read-only with --read-only): edits made in the
 * container go to those files, never to the upper dir, so diff/commit/export never see them.
 * A path the user mounts himself (-v /x:/etc/hosts) is his.
 */
export function networkFileMounts(initLayerDir: string | undefined, userMounts: readonly MountSpec[], readonly: boolean): MountSpec[] {
  if (!initLayerDir) return [];
  const taken = new Set(userMounts.map((m) => path.posix.normalize(m.destination)));
  return NETWORK_FILES.filter((f) => !taken.has(f)).map((f) => ({
    destination: f, type: 'bind', source: path.join(initLayerDir, f), options: ['rbind', 'rprivate', ...(readonly ? ['ro'] : [])],
  }));
}

/** HostConfig.ConsoleSize ([height, width], what the docker CLI sends with -t) as the process's; 0x0 means unknown. */
function consoleSize(merged: MergedConfig): Pick<RuntimeSpec['process'], 'consoleSize'> {
  const size = merged.hostConfig.ConsoleSize;
  if (!merged.config.Tty || !size || size.length !== 2 || !(size[0] > 0 && size[1] > 0)) return {};
  return { consoleSize: { height: size[0], width: size[1] } };
}

export function toResources(hc: HostConfig): LinuxResources | undefined {
  const r: LinuxResources = {};
  if (hc.Memory || hc.MemorySwap || hc.MemoryReservation) {
    r.memory = {
      ...(hc.Memory ? { limit: hc.Memory } : {}),
      ...(hc.MemorySwap ? { swap: hc.MemorySwap } : {}),
      ...(hc.MemoryReservation ? { reservation: hc.MemoryReservation } : {}),
    };
  }
  const cpu: NonNullable<LinuxResources['cpu']> = {};
  if (hc.NanoCpus) {
    cpu.period = DEFAULT_CPU_PERIOD;
    cpu.quota = Math.round((hc.NanoCpus * DEFAULT_CPU_PERIOD) / 1e9);
  }
  if (hc.CpuQuota) cpu.quota = hc.CpuQuota;
  if (hc.CpuPeriod) cpu.period = hc.CpuPeriod;
  if (hc.CpuShares) cpu.shares = hc.CpuShares;
  if (Object.keys(cpu).length) r.cpu = cpu;
  if (hc.PidsLimit && hc.PidsLimit > 0) r.pids = { limit: hc.PidsLimit };
  return Object.keys(r).length ? r : undefined;
}

/** HostConfig.Ulimits as the OCI process's rlimits: the container's PID 1 and every exec get them. */
export function toRlimits(hc: HostConfig): NonNullable<RuntimeSpec['process']['rlimits']> {
  return (hc.Ulimits ?? []).map((u) => {
    const type = ULIMIT_NAMES[u.Name];
    if (!type) throw new InvalidArgumentError(`invalid ulimit type: ${u.Name}`);
    return { type, soft: u.Soft, hard: u.Hard };
  });
}

function namespaces(input: SpecInput): LinuxSpec['namespaces'] {
  const out: LinuxSpec['namespaces'] = (['pid', 'ipc', 'uts', 'mount'] as NamespaceType[]).map((type) => ({ type }));
  const net = parseNetworkMode(input.merged.hostConfig.NetworkMode);
  if (net.kind === 'container') {
    if (!input.networkNamespacePath) throw new InvalidArgumentError(`cannot join the network of container ${net.ref}: it is not running`);
    out.push({ type: 'network', path: input.networkNamespacePath });
  } else if (net.kind !== 'host') out.push({ type: 'network' });
  if (input.cgroupNamespace) out.push({ type: 'cgroup' });
  return out;
}

/** A boolean SecurityOpt ("no-new-privileges", ":true" or "=true") is set. */
export function securityOpt(hc: HostConfig, key: string): boolean {
  return (hc.SecurityOpt ?? []).some((o) => o === key || o === `${key}:true` || o === `${key}=true`);
}

export function buildRuntimeSpec(input: SpecInput): RuntimeSpec {
  const { merged, user } = input;
  const hc = merged.hostConfig;
  const privileged = hc.Privileged === true;
  const caps = tweakCapabilities(hc.CapAdd, hc.CapDrop, privileged, input.boundingCapabilities);

  let args = [merged.path, ...merged.args];
  const userMounts = toMountSpecs(input.mounts);
  const initLayer = input.initLayerDir ?? input.overlay?.lowerDirs[0];
  const mounts: MountSpec[] = [
    ...defaultMounts({ privileged, shmSize: hc.ShmSize || DEFAULT_SHM_SIZE }),
    ...networkFileMounts(initLayer, userMounts, hc.ReadonlyRootfs === true),
    ...userMounts,
  ];
  if (hc.Init) {
    if (!input.initBinary) throw new InvalidArgumentError('--init is not available: no init binary (tini) was found on this host');
    mounts.push({ destination: DOCKER_INIT_PATH, type: 'bind', source: input.initBinary, options: ['rbind', 'ro', 'rprivate'] });
    args = [DOCKER_INIT_PATH, '--', ...args];
  }

  const rlimits = toRlimits(hc);

  const linux: LinuxSpec = {
    namespaces: namespaces(input),
    ...(input.cgroupsPath ? { cgroupsPath: input.cgroupsPath } : {}),
    ...(toResources(hc) ? { resources: toResources(hc) } : {}),
    maskedPaths: privileged ? [] : [...DEFAULT_MASKED_PATHS],
    readonlyPaths: privileged ? [] : [...DEFAULT_READONLY_PATHS],
    rootfsPropagation: 'rprivate',
    // linux.devices lists devices beyond the defaults (null, zero, full, random, urandom, tty,
    // ptmx), which the OCI runtime spec makes the runtime's job; none yet (--device is not supported).
  };

  return {
    ociVersion: '1.0.2',
    process: {
      terminal: merged.config.Tty,
      ...consoleSize(merged),
      user: { uid: user.uid, gid: user.gid, additionalGids: withGroupAdd(user, hc.GroupAdd), umask: 0o022 },
      args,
      env: containerEnv(merged, user.home),
      cwd: merged.config.WorkingDir || '/',
      // Since Docker 20.10.14 (CVE-2022-24769) the inheritable set is empty; ambient too.
      capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
      ...(rlimits.length ? { rlimits } : {}),
      noNewPrivileges: securityOpt(hc, 'no-new-privileges'),
    },
    root: { path: input.rootPath, readonly: hc.ReadonlyRootfs === true },
    hostname: merged.config.Hostname,
    ...(merged.config.Domainname ? { domainname: merged.config.Domainname } : {}),
    mounts,
    linux,
    slipway: { ...(input.overlay ? { overlay: input.overlay } : {}), stdio: input.stdio },
  };
}
