// Binds, volumes and tmpfs mounts: the daemon-side parse of `-v` strings (Binds), `--mount`
// entries (HostConfig.Mounts), anonymous volumes (Config.Volumes, from `-v /data` and the
// image's VOLUME), HostConfig.Tmpfs; then,
// once the volume store has given each volume a directory, the OCI mounts and the `Mounts`
// array of docker inspect.
import path from 'node:path';
import { InvalidArgumentError } from '../../errors';
import type { MountSpec } from '../spec';

const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'] as const;
type Propagation = (typeof PROPAGATIONS)[number];

export type MountRequest =
  /**
   * `createSource`: a `-v` bind, whose missing host directory Docker creates (mkdir -p, 0755);
   * a `--mount type=bind` source must exist ("bind source path does not exist").
   */
  | { type: 'bind'; source: string; destination: string; readOnly: boolean; propagation: Propagation; createSource?: boolean }
  /** `name` undefined = anonymous: the store makes a fresh volume with a random name. */
  | { type: 'volume'; name?: string; destination: string; readOnly: boolean; noCopy: boolean }
  | { type: 'tmpfs'; destination: string; options: string[] };

/** Docker's volume name rule (volume/local: validName). */
export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

function checkDestination(dest: string, spec: string): string {
  if (!path.isAbsolute(dest)) throw new InvalidArgumentError(`invalid mount config: invalid mount path: '${dest}' mount path must be absolute (in "${spec}")`);
  const clean = path.posix.normalize(dest);
  if (clean === '/') throw new InvalidArgumentError(`invalid specification: destination can't be '/' in "${spec}"`);
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean;
}

/** One Binds entry: `/host:/ctr[:opts]` (bind) or `name:/ctr[:opts]` (named volume). */
export function parseBind(spec: string): MountRequest {
  const parts = spec.split(':');
  if (parts.some((p) => p === '')) throw new InvalidArgumentError(`invalid spec: ${spec}: empty section between colons`);
  if (parts.length < 2 || parts.length > 3) throw new InvalidArgumentError(`invalid volume specification: '${spec}'`);
  const [source, dest, mode = ''] = parts;
  const destination = checkDestination(dest, spec);
  let readOnly = false;
  let noCopy = false;
  let propagation: Propagation = 'rprivate';
  let rwSeen = false;
  for (const opt of mode ? mode.split(',') : []) {
    if (opt === 'ro' || opt === 'rw') {
      if (rwSeen) throw new InvalidArgumentError(`invalid mode: ${mode}`);
      rwSeen = true;
      readOnly = opt === 'ro';
    } else if ((PROPAGATIONS as readonly string[]).includes(opt)) propagation = opt as Propagation;
    else if (opt === 'nocopy') noCopy = true;
    else if (opt === 'z' || opt === 'Z') continue; // SELinux relabel: nothing to do without SELinux
    else throw new InvalidArgumentError(`invalid mode: ${mode}`);
  }
  if (path.isAbsolute(source)) {
    if (noCopy) throw new InvalidArgumentError(`invalid mode: ${mode}: nocopy applies to volumes only`);
    return { type: 'bind', source: path.posix.normalize(source), destination, readOnly, propagation, createSource: true };
  }
  if (!VOLUME_NAME.test(source)) {
    throw new InvalidArgumentError(`"${source}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`);
  }
  return { type: 'volume', name: source, destination, readOnly, noCopy };
}

const TMPFS_DEFAULTS = ['nosuid', 'nodev', 'noexec'];
const TMPFS_OVERRIDES: Record<string, string> = { suid: 'nosuid', dev: 'nodev', exec: 'noexec' };

/** HostConfig.Tmpfs entry: options "rw,size=64m,exec" merged over Docker's nosuid,nodev,noexec. */
export function parseTmpfs(destination: string, options: string): MountRequest {
  const dest = checkDestination(destination, destination);
  const given = options ? options.split(',').map((o) => o.trim()).filter(Boolean) : [];
  const cancelled = new Set(given.map((o) => TMPFS_OVERRIDES[o]).filter(Boolean));
  const opts = [...TMPFS_DEFAULTS.filter((o) => !cancelled.has(o)), ...given.filter((o) => !(o in TMPFS_OVERRIDES))];
  return { type: 'tmpfs', destination: dest, options: opts };
}

/** One HostConfig.Mounts entry (the Engine API's mount.Mount; `--mount` of the docker CLI). */
export interface ApiMount {
  Type?: string;
  Source?: string;
  Target?: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string } | null;
  VolumeOptions?: { NoCopy?: boolean } | null;
  TmpfsOptions?: { SizeBytes?: number; Mode?: number } | null;
}

/** HostConfig.Mounts entry → a mount request, with moby's validation wording (volume/mounts/linux_parser.go). */
export function parseApiMount(m: ApiMount): MountRequest {
  const type = m.Type ?? '';
  const bad = (why: string) => new InvalidArgumentError(`invalid mount config for type "${type}": ${why}`);
  if (!m.Target) throw bad('field Target must not be empty');
  if (!path.isAbsolute(m.Target)) throw bad(`invalid mount path: '${m.Target}' mount path must be absolute`);
  const destination = checkDestination(m.Target, m.Target);
  const readOnly = m.ReadOnly === true;
  switch (type) {
    case 'bind': {
      if (!m.Source) throw bad('field Source must not be empty');
      if (!path.isAbsolute(m.Source)) throw bad(`invalid mount path: '${m.Source}' mount path must be absolute`);
      const propagation = m.BindOptions?.Propagation || 'rprivate';
      if (!(PROPAGATIONS as readonly string[]).includes(propagation)) throw bad(`invalid propagation mode: ${propagation}`);
      return { type: 'bind', source: path.posix.normalize(m.Source), destination, readOnly, propagation: propagation as Propagation };
    }
    case 'volume':
      if (m.Source && !VOLUME_NAME.test(m.Source)) throw bad(`invalid volume name: "${m.Source}"`);
      return { type: 'volume', ...(m.Source ? { name: m.Source } : {}), destination, readOnly, noCopy: m.VolumeOptions?.NoCopy === true };
    case 'tmpfs': {
      if (m.Source) throw bad('field Source must not be specified');
      const o = m.TmpfsOptions ?? {};
      const opts = [...(o.SizeBytes ? [`size=${o.SizeBytes}`] : []), ...(o.Mode ? [`mode=${o.Mode.toString(8)}`] : []), ...(readOnly ? ['ro'] : [])];
      return parseTmpfs(destination, opts.join(','));
    }
    default:
      throw bad('mount type unknown');
  }
}

/**
 * Every mount a container asks for, in Docker's precedence: Binds and Tmpfs first, then
 * anonymous volumes (Config.Volumes, which includes the image's) for destinations no bind
 * covers. The same destination twice in Binds/Tmpfs is Docker's "Duplicate mount point".
 */
export function planMounts(
  binds: readonly string[] | null | undefined, tmpfs: Record<string, string> | null | undefined, volumes: Record<string, object> | null | undefined,
  mounts?: readonly ApiMount[] | null,
): MountRequest[] {
  const out: MountRequest[] = [];
  const seen = new Set<string>();
  const add = (m: MountRequest) => {
    if (seen.has(m.destination)) throw new InvalidArgumentError(`Duplicate mount point: ${m.destination}`);
    seen.add(m.destination);
    out.push(m);
  };
  for (const b of binds ?? []) add(parseBind(b));
  for (const m of mounts ?? []) add(parseApiMount(m));
  for (const [dest, opts] of Object.entries(tmpfs ?? {})) add(parseTmpfs(dest, opts));
  for (const dest of Object.keys(volumes ?? {})) {
    const destination = checkDestination(dest, dest);
    if (!seen.has(destination)) add({ type: 'volume', destination, readOnly: false, noCopy: false });
  }
  return out;
}

/** A mount request with its host path decided (volumes: <state>/volumes/<name>/_data). */
export type ResolvedMount = MountRequest & { hostPath?: string; volumeName?: string };

/** Mounts in the order the start-up must make them: parents before children. */
export function toMountSpecs(mounts: readonly ResolvedMount[]): MountSpec[] {
  const sorted = [...mounts].sort((a, b) => a.destination.split('/').length - b.destination.split('/').length);
  return sorted.map((m): MountSpec => {
    if (m.type === 'tmpfs') return { destination: m.destination, type: 'tmpfs', source: 'tmpfs', options: m.options };
    const source = m.type === 'bind' ? m.source : m.hostPath;
    if (!source) throw new Error(`volume for ${m.destination} has no host path`);
    const propagation = m.type === 'bind' ? m.propagation : 'rprivate';
    return { destination: m.destination, type: 'bind', source, options: ['rbind', propagation, ...(m.readOnly ? ['ro'] : [])] };
  });
}

/** docker inspect's "Mounts" entries. */
export interface DockerMountPoint {
  Type: 'bind' | 'volume' | 'tmpfs';
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

export function toDockerMounts(mounts: readonly ResolvedMount[]): DockerMountPoint[] {
  return mounts.map((m): DockerMountPoint => {
    if (m.type === 'bind') return { Type: 'bind', Source: m.source, Destination: m.destination, Mode: m.readOnly ? 'ro' : '', RW: !m.readOnly, Propagation: m.propagation };
    if (m.type === 'tmpfs') return { Type: 'tmpfs', Source: '', Destination: m.destination, Mode: m.options.join(','), RW: !m.options.includes('ro'), Propagation: '' };
    return { Type: 'volume', Name: m.volumeName ?? m.name, Source: m.hostPath ?? '', Destination: m.destination, Driver: 'local', Mode: m.readOnly ? 'ro' : m.name ? 'z' : '', RW: !m.readOnly, Propagation: '' };
  });
}
