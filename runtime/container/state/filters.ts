// GET /containers/json?all=&limit=&filters= — Docker's filter syntax and semantics: values of
// one key are OR'ed, keys are AND'ed; without `all`, only running containers are listed unless
// a status or exited filter asks for others.
import { InvalidArgumentError } from '../../errors';
import { CONTAINER_STATUSES, type ContainerRecord } from './record';

export type Filters = Record<string, string[]>;
const KEYS = ['status', 'name', 'id', 'label', 'ancestor', 'exited'] as const;

/**
 * The `filters` query parameter: {"status":["running"]}, or the legacy map form
 * {"status":{"running":true}} that older clients send.
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
    for (const v of values) {
      if (key === 'status' && !(CONTAINER_STATUSES as readonly string[]).includes(v)) throw new InvalidArgumentError(`invalid filter 'status=${v}'`);
      if (key === 'exited' && !/^-?\d+$/.test(v)) throw new InvalidArgumentError(`invalid filter 'exited=${v}'`);
    }
    out[key] = values;
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

function matches(rec: ContainerRecord, key: string, value: string, opts: ListOptions): boolean {
  switch (key) {
    case 'status':
      return rec.state.status === value;
    case 'name':
      // Docker matches a regular expression against "/name".
      try {
        return new RegExp(value).test(`/${rec.name}`);
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
    default:
      return false;
  }
}

/** The records `docker ps` shows, newest first. */
export function listContainers(records: readonly ContainerRecord[], opts: ListOptions = {}): ContainerRecord[] {
  const filters = opts.filters ?? {};
  const all = opts.all || (opts.limit ?? 0) > 0 || 'status' in filters || 'exited' in filters;
  let out = records
    .filter((r) => all || r.state.status === 'running' || r.state.status === 'paused' || r.state.status === 'restarting')
    .filter((r) => Object.entries(filters).every(([k, values]) => values.length === 0 || values.some((v) => matches(r, k, v, opts))))
    .sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
  if (opts.limit && opts.limit > 0) out = out.slice(0, opts.limit);
  return out;
}
