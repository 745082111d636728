// GET /containers/json?all=&limit=&filters= — Docker's filter syntax and semantics (moby
// daemon/list.go): values of one key are OR'ed, keys are AND'ed; without `all`, only running
// containers are listed unless a status or exited filter asks for others (before and since
// do not: `docker ps -f since=x` lists the running ones created after x).
import { InvalidArgumentError, NotFoundError } from '../../errors';
import { CONTAINER_STATUSES, type ContainerRecord } from './record';

export type Filters = Record<string, string[]>;
const KEYS = ['status', 'name', 'id', 'label', 'ancestor', 'exited', 'before', 'since', 'volume', 'network', 'publish', 'expose', 'health', 'is-task', 'isolation'] as const;
const HEALTH = ['starting', 'healthy', 'unhealthy', 'none'];

/**
 * The `filters` query parameter: {"status":["running"]}, or the legacy map form
 * {"status":{"running":true}} that older clients send. Values are checked here, so a typo
 * fails the request instead of silently listing nothing.
 */
export function parseFilters(json: string | undefined): Filters {
  if (!json) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new InvalidArgumentError(`invalid filters: ${json}`, { cause: err });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidArgumentError(`invalid filters: ${json}`);
  const out: Filters = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(KEYS as readonly string[]).includes(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
    const values = Array.isArray(value) ? value.map(String) : typeof value === 'object' && value ? Object.keys(value).filter((k) => (value as Record<string, unknown>)[k]) : [String(value)];
    for (const v of values) checkValue(key, v);
    out[key] = values;
  }
  return out;
}

function checkValue(key: string, v: string): void {
  const bad = () => new InvalidArgumentError(`invalid filter '${key}=${v}'`);
  if (key === 'status' && !(CONTAINER_STATUSES as readonly string[]).includes(v)) throw bad();
  if (key === 'exited' && !/^-?\d+$/.test(v)) throw bad();
  // dockerd's own wording for this one.
  if (key === 'health' && !HEALTH.includes(v)) throw new InvalidArgumentError(`Unrecognised filter value for health: ${v}`);
  if (key === 'is-task' && v !== 'true' && v !== 'false') throw bad();
  if (key === 'publish' || key === 'expose') portSet(key, [v]);
}

/**
 * `publish`/`expose` values: "80", "80/udp", "8000-8080/tcp" → the set of "port/proto" they
 * name (docker expands ranges the same way; a host:container pair is an error there too).
 */
export function portSet(key: string, values: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const value of values) {
    if (value.includes(':')) throw new InvalidArgumentError(`filter for '${key}' should not contain ':': ${value}`);
    const slash = value.indexOf('/');
    const range = slash < 0 ? value : value.slice(0, slash);
    // Any protocol name is taken (as nat.SplitProtoPort does); an unknown one matches nothing.
    const proto = slash < 0 ? 'tcp' : value.slice(slash + 1);
    const m = /^(\d+)(?:-(\d+))?$/.exec(range);
    const start = m ? Number(m[1]) : NaN;
    const end = m?.[2] !== undefined ? Number(m[2]) : start;
    if (!m || proto === '' || start < 1 || end > 65535 || end < start) {
      throw new InvalidArgumentError(`error while looking up for ${key} ${value}: invalid port or range (expected port[-port][/proto])`);
    }
    for (let p = start; p <= end; p++) out.add(`${p}/${proto}`);
  }
  return out;
}

export interface ListOptions {
  all?: boolean;
  /** Newest n containers (docker ps -n / --last); implies all. */
  limit?: number;
  filters?: Filters;
  /** Image reference → image id, for `ancestor=busybox`; the caller asks the image store. */
  resolveImage?: (ref: string) => string | undefined;
}

/** A container as `docker ps --filter before=X` names it: full id, name, or unique id prefix. */
function findRecord(records: readonly ContainerRecord[], ref: string): ContainerRecord {
  const name = ref.replace(/^\//, '');
  const exact = records.find((r) => r.id === ref || r.name === name);
  if (exact) return exact;
  const byPrefix = ref.length > 0 ? records.filter((r) => r.id.startsWith(ref)) : [];
  if (byPrefix.length === 1) return byPrefix[0];
  throw new NotFoundError(`No such container: ${ref}`);
}

/**
 * The networks a container is on, by the names docker gives them: `host`, `none`, or `bridge`
 * for the default (a private namespace here; "default" is accepted as well). Docker lists no
 * network for `container:<x>` mode; we answer to the mode string so it can still be found.
 */
function networksOf(rec: ContainerRecord): string[] {
  const mode = rec.hostConfig.NetworkMode || 'default';
  return mode === 'default' || mode === 'bridge' ? ['bridge', 'default'] : [mode];
}

/** Health status for the filter; a container without a health check is "none" as in docker. */
function healthOf(rec: ContainerRecord): string {
  // The health monitor (runtime/container/health) records `state.health` when there is one.
  return rec.state.health?.Status ?? 'none';
}

function matches(rec: ContainerRecord, key: string, value: string, opts: ListOptions): boolean {
  switch (key) {
    case 'status':
      return rec.state.status === value;
    case 'name':
      // Docker matches a regular expression against "/name", and against "name".
      try {
        const re = new RegExp(value);
        return re.test(`/${rec.name}`) || re.test(rec.name);
      } catch {
        return `/${rec.name}`.includes(value);
      }
    case 'id':
      return rec.id.startsWith(value);
    case 'label': {
      const eq = value.indexOf('=');
      const labels = rec.config.Labels ?? {};
      return eq < 0 ? value in labels : labels[value.slice(0, eq)] === value.slice(eq + 1);
    }
    case 'ancestor': {
      if (rec.image === value) return true;
      const id = opts.resolveImage?.(value) ?? (/^(sha256:)?[0-9a-f]{4,64}$/.test(value) ? value : undefined);
      if (!id) return false;
      const bare = (s: string) => s.replace(/^sha256:/, '');
      return bare(rec.imageId).startsWith(bare(id));
    }
    case 'exited':
      return rec.state.status === 'exited' && rec.state.exitCode === Number(value);
    case 'volume':
      // By a named volume's name, a bind's host path, or where it is mounted in the container.
      return rec.mounts.some((m) => m.Destination === value || (m.Name ? m.Name === value : m.Source === value));
    case 'network':
      return networksOf(rec).includes(value);
    case 'health':
      return healthOf(rec) === value;
    case 'is-task':
      // Docker matches swarm-managed task containers; Slipway has no swarm, so none is a task.
      return value === 'false';
    case 'isolation':
      // Linux has one isolation, "default" (docker's excludeByIsolation lower-cases and defaults it).
      return (String((rec.hostConfig as { Isolation?: string }).Isolation || 'default')).toLowerCase() === value.toLowerCase();
    default:
      return false;
  }
}

/** "port/proto" keys of the container's published host ports and of its container-side ports. */
function portsOf(rec: ContainerRecord): { published: Set<string>; exposed: Set<string> } {
  const published = new Set(rec.ports.filter((p) => p.hostPort > 0).map((p) => `${p.hostPort}/${p.proto}`));
  const exposed = new Set([...Object.keys(rec.config.ExposedPorts ?? {}).map((k) => (k.includes('/') ? k : `${k}/tcp`)), ...rec.ports.map((p) => `${p.containerPort}/${p.proto}`)]);
  return { published, exposed };
}

/** The records `docker ps` shows, newest first. */
export function listContainers(records: readonly ContainerRecord[], opts: ListOptions = {}): ContainerRecord[] {
  const filters = opts.filters ?? {};
  // Docker takes the last value of before/since; an unknown container is an error, not "none".
  const last = (k: string) => (filters[k]?.length ? findRecord(records, filters[k][filters[k].length - 1]) : undefined);
  const before = last('before');
  const since = last('since');
  const all = opts.all || (opts.limit ?? 0) > 0 || 'status' in filters || 'exited' in filters;
  // publish and expose are one test in docker: a container passes if either set names a port of it.
  const wantPublished = filters.publish?.length ? portSet('publish', filters.publish) : undefined;
  const wantExposed = filters.expose?.length ? portSet('expose', filters.expose) : undefined;
  const portsMatch = (r: ContainerRecord) => {
    if (!wantPublished && !wantExposed) return true;
    const { published, exposed } = portsOf(r);
    return [...published].some((p) => wantPublished?.has(p)) || [...exposed].some((p) => wantExposed?.has(p));
  };
  const plain = Object.entries(filters).filter(([k, values]) => values.length > 0 && !['before', 'since', 'publish', 'expose'].includes(k));
  let out = records
    .filter((r) => all || r.state.status === 'running' || r.state.status === 'paused' || r.state.status === 'restarting')
    .filter((r) => !before || (r.id !== before.id && Date.parse(r.created) < Date.parse(before.created)))
    .filter((r) => !since || (r.id !== since.id && Date.parse(r.created) > Date.parse(since.created)))
    .filter(portsMatch)
    .filter((r) => plain.every(([k, values]) => values.some((v) => matches(r, k, v, opts))))
    .sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
  if (opts.limit && opts.limit > 0) out = out.slice(0, opts.limit);
  return out;
}
