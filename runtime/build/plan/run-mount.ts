// `RUN --mount=...` values → typed mounts, with BuildKit's rules (frontend/dockerfile/
// instructions/commands_runmount.go): the value is one CSV record of key=value fields (keys are
// case-insensitive; `ro`, `rw`, `readonly`, `readwrite` and `required` may stand alone), every
// value is expanded with the step's variables, the type defaults to bind, binds and secrets are
// read-only unless told otherwise, caches and tmpfs are writable, mode/uid/gid only make sense
// where a file or directory is created (cache, secret, ssh). Pure: errors are plain messages that
// the planner locates at the RUN line.
import { suggest } from '../../common/suggest';
// BuildKit reads a tmpfs size with go-units RAMInBytes, as the docker CLI reads --memory.
import { parseBytes } from '../../container/config/flags';

export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
export type CacheSharing = 'shared' | 'private' | 'locked';

const MOUNT_TYPES: readonly MountType[] = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];
const SHARING: readonly CacheSharing[] = ['shared', 'private', 'locked'];
const KEYS = ['type', 'from', 'source', 'src', 'target', 'dst', 'destination', 'readonly', 'ro', 'readwrite', 'rw',
  'id', 'sharing', 'required', 'mode', 'uid', 'gid', 'size', 'env'] as const;

/**
 * One mount as written (values expanded). `target` may be relative to WORKDIR, or '' — which
 * for bind, cache and tmpfs means WORKDIR itself (BuildKit joins it to the working directory).
 */
export interface ParsedMount {
  type: MountType;
  /** Where it appears in the container; '' when not given. */
  target: string;
  /** Stage name or index, or image reference; absent = the build context (bind) / nothing (cache). */
  from?: string;
  /** Path inside `from` (bind, cache); the secret's id in the old `source=` spelling. */
  source?: string;
  readonly: boolean;
  /** cache: the cache's id; secret/ssh: the secret's id. */
  id?: string;
  sharing?: CacheSharing;
  mode?: number;
  uid?: number;
  gid?: number;
  /** secret/ssh: fail when it was not provided. */
  required: boolean;
  /** tmpfs: size limit in bytes. */
  size?: number;
  /** secret: also (or only) expose the value as this environment variable. */
  env?: string;
}

/**
 * Splits one CSV record as Go's encoding/csv reads it: fields separated by ",", a field that
 * starts with a double quote runs to the closing quote ("" is a quote inside it).
 */
export function csvFields(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`extraneous or missing " in quoted field: ${text}`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== ',') throw new Error(`extraneous or missing " in quoted field: ${text}`);
    } else {
      const end = text.indexOf(',', i);
      field = end < 0 ? text.slice(i) : text.slice(i, end);
      if (field.includes('"')) throw new Error(`bare " in non-quoted field: ${text}`);
      i = end < 0 ? text.length : end;
    }
    out.push(field);
    if (i >= text.length) return out;
    i++; // the comma
  }
}

/** Go's strconv.ParseBool. */
function parseBool(key: string, value: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new Error(`invalid value for ${key}: ${value}`);
}

function parseUint(key: string, value: string, radix: 8 | 10): number {
  const re = radix === 8 ? /^[0-7]+$/ : /^\d+$/;
  const n = re.test(value) ? parseInt(value, radix) : NaN;
  if (!Number.isSafeInteger(n) || n > 0xffffffff) throw new Error(`invalid value ${value} for ${key}`);
  return n;
}

/** " (did you mean X?)" for the nearest allowed word (BuildKit's suggest.Search), or ''. */
function didYouMean(word: string, allowed: readonly string[]): string {
  const best = suggest(word, allowed);
  return best ? ` (did you mean ${best}?)` : '';
}

/**
 * Parses one `--mount` value. `expand` substitutes variables in a value (the step's ENV and
 * ARGs), as BuildKit's expander does for every field.
 */
export function parseRunMount(raw: string, expand: (value: string) => string = (v) => v): ParsedMount {
  const m: ParsedMount = { type: 'bind', target: '', readonly: false, required: false };
  let roAuto = true;
  for (const field of csvFields(raw)) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      if (key === 'readonly' || key === 'ro') { m.readonly = true; roAuto = false; continue; }
      if (key === 'readwrite' || key === 'rw') { m.readonly = false; roAuto = false; continue; }
      if (key === 'required') {
        if (m.type !== 'secret' && m.type !== 'ssh') throw new Error(`unexpected key '${key}' for mount type '${m.type}'`);
        m.required = true;
        continue;
      }
      throw new Error(`invalid field '${field}' must be a key=value pair`);
    }
    const value = expand(field.slice(eq + 1));
    switch (key) {
      case 'type': {
        const t = value.toLowerCase() as MountType;
        if (!MOUNT_TYPES.includes(t)) throw new Error(`unsupported mount type "${value}"${didYouMean(value.toLowerCase(), MOUNT_TYPES)}`);
        m.type = t;
        break;
      }
      case 'from': m.from = value; break;
      case 'source': case 'src': m.source = value; break;
      case 'target': case 'dst': case 'destination': m.target = value; break;
      case 'readonly': case 'ro': m.readonly = parseBool(key, value); roAuto = false; break;
      case 'readwrite': case 'rw': m.readonly = !parseBool(key, value); roAuto = false; break;
      case 'required':
        if (m.type !== 'secret' && m.type !== 'ssh') throw new Error(`unexpected key '${key}' for mount type '${m.type}'`);
        m.required = parseBool(key, value);
        break;
      case 'size':
        if (m.type !== 'tmpfs') throw new Error(`unexpected key '${key}' for mount type '${m.type}'`);
        try { m.size = parseBytes(value); } catch { throw new Error(`invalid value for ${key}: ${value}`); }
        break;
      case 'id': m.id = value; break;
      case 'sharing': {
        const s = value.toLowerCase() as CacheSharing;
        if (!SHARING.includes(s)) throw new Error(`unsupported sharing value "${value}"${didYouMean(value.toLowerCase(), SHARING)}`);
        m.sharing = s;
        break;
      }
      case 'mode': m.mode = parseUint(key, value, 8); break;
      case 'uid': m.uid = parseUint(key, value, 10); break;
      case 'gid': m.gid = parseUint(key, value, 10); break;
      case 'env':
        if (m.type !== 'secret') throw new Error(`unexpected key '${key}' for mount type '${m.type}'`);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) throw new Error(`invalid environment variable name for the secret: ${value}`);
        m.env = value;
        break;
      default:
        throw new Error(`unexpected key '${key}' in '${field}'${didYouMean(key, KEYS)}`);
    }
  }
  validate(m, roAuto);
  return m;
}

function validate(m: ParsedMount, roAuto: boolean): void {
  if (m.type !== 'secret' && m.type !== 'ssh' && m.type !== 'cache') {
    for (const k of ['mode', 'uid', 'gid'] as const) if (m[k] !== undefined) throw new Error(`${k} not allowed for "${m.type}" type mounts`);
  }
  if (roAuto) m.readonly = m.type === 'bind' || m.type === 'secret' || m.type === 'ssh';
  if (m.sharing !== undefined && m.type !== 'cache') throw new Error(`invalid cache sharing set for ${m.type} mount`);
  if (m.type === 'secret') {
    if (m.from !== undefined) throw new Error('secret mount should not have a from');
    if (m.source !== undefined && m.id !== undefined) throw new Error('both source and id can\'t be set');
    // `source=` is the old spelling of the id.
    if (m.source !== undefined) { m.id = m.source; delete m.source; }
    if (m.target === '' && m.id === undefined && m.env === undefined) throw new Error('invalid secret mount: one of id, target or env is required');
    if (m.id === undefined) m.id = m.target !== '' ? m.target.split('/').filter(Boolean).pop() ?? '' : m.env!;
    m.mode ??= 0o400;
    if (m.target === '' && m.env === undefined) m.target = `/run/secrets/${m.id}`;
  } else if (m.type === 'ssh') {
    m.id ??= 'default';
  }
  if (m.type === 'tmpfs' && m.from !== undefined) throw new Error('tmpfs mount should not have a from');
  if (m.type === 'cache') m.sharing ??= 'shared';
}

/**
 * The mount's target as an absolute, clean path: a relative one is under WORKDIR (BuildKit's
 * dispatchRunMounts). "/" itself can never be a mount target.
 */
export function absoluteTarget(target: string, workdir: string | undefined): string {
  const joined = target.startsWith('/') ? target : `${workdir || '/'}/${target}`;
  const parts: string[] = [];
  for (const p of joined.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop(); else parts.push(p);
  }
  const abs = '/' + parts.join('/');
  if (abs === '/') throw new Error(target === '' ? 'invalid mount target "/" (no target, and WORKDIR is /)' : `invalid mount target "${target}"`);
  return abs;
}
