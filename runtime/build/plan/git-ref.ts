// ADD <git ref>: recognising a git address and reading BuildKit's extra syntax from it. Pure.
//
//   https://host/org/repo.git#<ref>:<subdir>      the fragment form (ref and subdir optional)
//   git@host:org/repo.git#v1.0                     SCP-style SSH address
//   ssh://…, git://…, http://….git                  (http:// and git:// travel unencrypted)
//   https://host/repo.git?ref=main&subdir=docs      the newer query form, with tag=, branch=,
//                                                  checksum= / commit=, keep-git-dir=,
//                                                  submodules=, mtime=checkout|commit
//
// An http(s) address is a git ref only when its path ends in ".git" (BuildKit's rule): anything
// else is a file download. Other schemes (ftp://, file://) are not git refs at all, so `ADD
// file:///etc/passwd` stays a (missing) context path instead of reaching the host.
import path from 'node:path';
import { InvalidArgumentError } from '../../errors.js';

export interface GitRef {
  /** The address handed to git: the source without fragment and BuildKit query. */
  remote: string;
  /** Branch, tag, full ref name ("refs/heads/x") or full commit SHA; "" = the remote's HEAD. */
  ref: string;
  /** Directory of the repository to copy, cleaned, without a leading "/"; "" = all of it. */
  subdir: string;
  /** Expected commit (hex prefix), from `?checksum=` / `?commit=`. */
  checksum?: string;
  keepGitDir?: boolean;
  /** `?submodules=false` skips submodules (fetched by default). */
  submodules?: boolean;
  /** File times: the time of the checkout (default, as BuildKit) or the commit's time. */
  mtime?: 'checkout' | 'commit';
  /** git:// and http:// addresses. */
  unencrypted: boolean;
}

const SCHEME = /^([a-zA-Z0-9]+):\/\//;
const GIT_SCHEMES = new Set(['http', 'https', 'ssh', 'git']);
/** user@host:path[?query][#fragment] — the shape BuildKit's sshutil accepts. */
const SCP = /^([a-zA-Z0-9_-]+)@([a-zA-Z0-9.-]+):(.*?)(?:\?(.*?))?(?:#(.*))?$/;
const HEX = /^[0-9a-fA-F]+$/;

/** Whether `src` is a git ref (a malformed query still counts: parseGitRef then says why). */
export function isGitRef(src: string): boolean {
  const scheme = SCHEME.exec(src)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!GIT_SCHEMES.has(scheme)) return false;
    if (scheme === 'http' || scheme === 'https') return /\.git$/i.test(pathOf(src));
    return true;
  }
  return SCP.test(src);
}

/** The git ref in `src`, or undefined when it is not one; a bad query throws, naming it. */
export function parseGitRef(src: string): GitRef | undefined {
  if (!isGitRef(src)) return undefined;
  const scp = SCHEME.test(src) ? undefined : SCP.exec(src);
  let remote: string;
  let query: string;
  let fragment: string;
  if (scp) {
    remote = `${scp[1]}@${scp[2]}:${scp[3]}`;
    query = scp[4] ?? '';
    fragment = scp[5] ?? '';
  } else {
    const hash = src.indexOf('#');
    const beforeHash = hash < 0 ? src : src.slice(0, hash);
    fragment = hash < 0 ? '' : src.slice(hash + 1);
    const q = beforeHash.indexOf('?');
    remote = q < 0 ? beforeHash : beforeHash.slice(0, q);
    query = q < 0 ? '' : beforeHash.slice(q + 1);
  }
  const scheme = SCHEME.exec(src)?.[1]?.toLowerCase();
  const [fragRef = '', ...rest] = fragment.split(':');
  const ref: GitRef = {
    remote, ref: fragRef, subdir: cleanSubdir(rest.join(':')),
    unencrypted: scheme === 'http' || scheme === 'git',
  };
  if (query !== '') applyQuery(ref, query, src);
  return ref;
}

/** `a/../b/` → "b"; never climbs above the repository root. */
function cleanSubdir(subdir: string): string {
  // Go's path.Join also drops a trailing "/"; Node's keeps it.
  return path.posix.join('/', subdir).replace(/^\/+/, '').replace(/\/+$/, '');
}

const BOOL_KEYS = new Set(['keep-git-dir', 'submodules']);

function applyQuery(ref: GitRef, query: string, src: string): void {
  const fail = (why: string): never => { throw new InvalidArgumentError(`invalid git URL ${redactUrl(src)}: ${why}`); };
  const params = new URLSearchParams(query);
  let tag = '';
  let branch = '';
  const seen = new Set<string>();
  for (const [key, value] of params) {
    if (seen.has(key)) fail(`query "${key}" has multiple values`);
    seen.add(key);
    if (value === '' && !BOOL_KEYS.has(key)) fail(`query "${key}" has no value`);
    const setOnce = (field: 'ref' | 'subdir', v: string): void => {
      if (ref[field] !== '' && ref[field] !== v) fail(`${field} conflicts: "${ref[field]}" vs "${v}"`);
      ref[field] = v;
    };
    switch (key) {
      case 'ref': setOnce('ref', value); break;
      case 'tag': tag = value; break;
      case 'branch': branch = value; break;
      case 'subdir': setOnce('subdir', cleanSubdir(value)); break;
      case 'checksum': case 'commit': ref.checksum = value; break;
      case 'keep-git-dir': ref.keepGitDir = parseBool(value, key, fail); break;
      case 'submodules': ref.submodules = parseBool(value, key, fail); break;
      case 'mtime':
        if (value !== 'checkout' && value !== 'commit') fail(`invalid mtime value: "${value}" (must be "checkout" or "commit")`);
        ref.mtime = value as 'checkout' | 'commit';
        break;
      default: fail(`unexpected query "${key}"`);
    }
  }
  if (tag !== '' && branch !== '') fail('branch conflicts with tag');
  if (tag !== '') setFullRef(ref, 'refs/tags/', tag, fail);
  if (branch !== '') setFullRef(ref, 'refs/heads/', branch, fail);
  if (ref.checksum !== undefined && !HEX.test(ref.checksum)) fail(`invalid checksum ${ref.checksum}, expected a hex commit hash`);
}

function setFullRef(ref: GitRef, prefix: string, name: string, fail: (why: string) => never): void {
  const full = name.startsWith(prefix) ? name : prefix + name;
  if (ref.ref !== '' && ref.ref !== full) fail(`ref conflicts: "${ref.ref}" vs "${full}"`);
  ref.ref = full;
}

/** Go's strconv.ParseBool, with a bare key meaning true. */
function parseBool(value: string, key: string, fail: (why: string) => never): boolean {
  if (value === '' || ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return fail(`invalid ${key} value: "${value}"`);
}

function pathOf(src: string): string {
  const rest = src.replace(SCHEME, '');
  const slash = rest.indexOf('/');
  if (slash < 0) return '';
  return rest.slice(slash).split(/[?#]/)[0]!;
}

/** Whether `s` is a full commit SHA (SHA-1 or SHA-256 object names). */
export function isCommitSha(s: string): boolean {
  return /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(s);
}

/**
 * An address safe to print: a password (and, for http(s), a bare user name, which is how
 * tokens are usually passed) becomes "xxxxx". SCP-style addresses carry no secret.
 */
export function redactUrl(src: string): string {
  const m = /^([a-zA-Z0-9]+:\/\/)([^@/?#]*)@/.exec(src);
  if (!m) return src;
  const [user, password] = m[2]!.split(/:(.*)/s);
  const scheme = m[1]!.toLowerCase();
  let shown: string;
  if (password !== undefined) shown = `${user}:xxxxx`;
  else if (scheme === 'http://' || scheme === 'https://') shown = 'xxxxx';
  else shown = user!;
  return m[1] + shown + '@' + src.slice(m[0].length);
}
