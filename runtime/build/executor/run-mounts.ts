// RUN --mount at execution: from planned mounts (plan/run-mount.ts) to the container's mount
// list, and back out of the layer afterwards.
//
//   bind    the context (filtered by .dockerignore) or a stage/image (an overlay view of its
//           layers in the service's mount namespace), `source` resolved inside it with symlinks
//           kept in (RESOLVE_IN_ROOT), bound read-only; `rw` puts a throw-away overlay upper
//           on top, so writes are seen by the step and then discarded
//   cache   a persistent directory (cache-mounts.ts), never part of a layer
//   tmpfs   a tmpfs (size=)
//   secret  the client's bytes in a 0400 file bound read-only, and/or an environment variable;
//           only the id is part of the cache key, never the value. The files live on a small
//           tmpfs of the step (never on disk), unmounted when the step ends
//
// Every view is mounted before the container starts: the builder starts a fresh Worker per
// RUN (no pre-started init), whose new mount namespace is a copy of the service's taken at that
// moment. The mount points the container creates for targets are removed from the upper dir
// afterwards when they are empty and did not exist before (BuildKit does the same), so a
// mount never leaves `/run/secrets` or `/root/.cache` behind in the image.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../../errors';
import { MNT, MS } from '../../linux/constants';
import type { Syscalls } from '../../linux/syscalls';
import type { SpecialFs } from '../../layer/special-fs';
import type { MountSpec } from '../../container/spec';
import { canonicalJson, fileRecords } from '../cache-key';
import { resolveInRoot, walk, type ContextEntry, type IgnoreMatcher } from '../context';
import type { RunMount, SourceRef, Step } from '../plan/types';
import type { CacheMounts, CacheMountLease } from './cache-mounts';
import { mountOverlay, type OverlayView } from './mounts';

const run = promisify(execFile);

export type LayerSource = Exclude<SourceRef, { kind: 'context' }>;

export interface MountEnv {
  sys: Syscalls;
  /** A scratch dir of the step (removed with the build's temp dir, mounts first). */
  dir: string;
  context: string;
  ignore: IgnoreMatcher;
  /** Layer dirs (topmost first) of a stage or an image. */
  lowers(ref: LayerSource): Promise<string[]>;
  caches: CacheMounts;
  /** `--secret` values by id. */
  secrets: ReadonlyMap<string, Buffer>;
}

export interface PreparedMounts {
  mounts: MountSpec[];
  /** KEY=VALUE pairs for secrets given as `env=`. */
  env: string[];
  /** Container paths mounted over (for removeMountpoints). */
  targets: string[];
  /** Unmounts views and gives caches back (idempotent). */
  release(): void;
}

/**
 * What each mount reads, for the step's cache key (same order as `mounts`; '' for mounts that
 * read nothing): the build context by a digest of exactly the files under `source` that
 * .dockerignore keeps (content, mode, owner — not mtime), a stage or image by `sourceKey`
 * (the stage's last cache key, the image's ID), which already pins its content.
 */
export async function mountSourceKeys(mounts: readonly RunMount[], env: { context: string; ignore: IgnoreMatcher; sourceKey(ref: LayerSource): Promise<string> }): Promise<string[]> {
  const out: string[] = [];
  for (const m of mounts) {
    if (!m.from || (m.type !== 'bind' && m.type !== 'cache')) { out.push(''); continue; }
    if (m.from.kind !== 'context') { out.push(await env.sourceKey(m.from)); continue; }
    const { entries } = await contextSelection(env.context, m.source ?? '', env.ignore);
    const records = await fileRecords(entries);
    out.push('context:sha256:' + createHash('sha256').update(canonicalJson(records)).digest('hex'));
  }
  return out;
}

/** The context entries a mount selects: `source` resolved in the context, ignored files left out. */
async function contextSelection(context: string, source: string, ignore: IgnoreMatcher): Promise<{ rel: string; entries: ContextEntry[] }> {
  const rel = await resolveInRoot(context, source || '.');
  if (!fs.existsSync(path.join(context, rel)) || (rel !== '.' && ignore.ignores(rel))) {
    throw new InvalidArgumentError(`mount source ${source || '/'} not found in the build context`);
  }
  const entries = await walk(context, rel, (p) => !ignore.ignores(p), false, ignore.hasExclusions);
  return { rel, entries };
}

export async function prepareRunMounts(mounts: readonly RunMount[], sourceKeys: readonly string[], env: MountEnv): Promise<PreparedMounts> {
  const views: Array<Pick<OverlayView, 'release'>> = [];
  const leases: CacheMountLease[] = [];
  const leased = new Map<string, string>();
  const specs: MountSpec[] = [];
  const vars: string[] = [];
  let n = 0;
  const scratch = (): string => {
    const d = path.join(env.dir, `m${n++}`);
    fs.mkdirSync(d, { recursive: true, mode: 0o700 });
    return d;
  };
  const release = (): void => {
    for (const l of leases.splice(0)) l.release();
    for (const v of views.splice(0).reverse()) v.release();
  };

  let secretDir: string | undefined;
  /** The step's secrets tmpfs, mounted on first use (mode 0700, room for the body's 1 MiB). */
  const secretFile = (): string => {
    if (!secretDir) {
      const dir = scratch();
      env.sys.mount('tmpfs', dir, 'tmpfs', MS.NOSUID | MS.NODEV | MS.NOEXEC, 'mode=0700,size=2m');
      views.push({ release: () => env.sys.umount2(dir, MNT.DETACH) });
      secretDir = dir;
    }
    return path.join(secretDir, `secret-${n++}`);
  };

  /** A host path showing `source` of `from`; views stay mounted until release. */
  const open = async (from: SourceRef, source: string | undefined): Promise<string> => {
    if (from.kind === 'context') {
      if (env.ignore.patterns.length === 0) {
        // Nothing is ignored: the context itself can be bound, no copy needed.
        const abs = path.join(env.context, await resolveInRoot(env.context, source || '.'));
        if (!fs.existsSync(abs)) throw new InvalidArgumentError(`mount source ${source || '/'} not found in the build context`);
        return abs;
      }
      const { rel, entries } = await contextSelection(env.context, source ?? '', env.ignore);
      return materialise(rel, entries, path.join(scratch(), 'view'));
    }
    const view = mountOverlay(env.sys, scratch(), await env.lowers(from));
    views.push(view);
    const rel = await resolveInRoot(view.merged, source || '.');
    const abs = path.join(view.merged, rel);
    if (!fs.existsSync(abs)) throw new InvalidArgumentError(`mount source ${source || '/'} not found in ${from.kind === 'stage' ? `stage ${from.stage}` : from.ref}`);
    return abs;
  };

  try {
    for (const [i, m] of mounts.entries()) {
      switch (m.type) {
        case 'bind': {
          let src = await open(m.from ?? { kind: 'context' }, m.source);
          if (!m.readonly) src = writable(src);
          specs.push({ destination: m.target, type: 'bind', source: src, options: m.readonly ? ['bind', 'ro'] : ['bind'] });
          break;
        }
        case 'cache': {
          const identity = canonicalJson({ id: m.id, from: sourceKeys[i] || null, source: m.from ? m.source ?? '' : null, uid: m.uid ?? null, gid: m.gid ?? null, mode: m.mode ?? null });
          // The same cache twice in one step is one lease (a second `locked` one would wait forever).
          const held = leased.get(identity);
          if (held) { specs.push({ destination: m.target, type: 'bind', source: held, options: m.readonly ? ['bind', 'ro'] : ['bind'] }); break; }
          const lease = await env.caches.acquire({
            identity, id: m.id ?? m.target, sharing: m.sharing ?? 'shared',
            create: async (dir) => {
              if (m.from) {
                const seed = await open(m.from, m.source);
                if (!fs.statSync(seed).isDirectory()) throw new InvalidArgumentError(`cache mount source ${m.source ?? '/'} is not a directory`);
                await run('cp', ['-a', '--', `${seed}/.`, dir]);
              }
              if (m.mode !== undefined || !m.from) fs.chmodSync(dir, m.mode ?? 0o755);
              if (m.uid !== undefined || m.gid !== undefined) fs.chownSync(dir, m.uid ?? 0, m.gid ?? 0);
            },
          });
          leases.push(lease);
          leased.set(identity, lease.dir);
          specs.push({ destination: m.target, type: 'bind', source: lease.dir, options: m.readonly ? ['bind', 'ro'] : ['bind'] });
          break;
        }
        case 'tmpfs':
          specs.push({ destination: m.target, type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', ...(m.size !== undefined ? [`size=${m.size}`] : [])] });
          break;
        case 'secret': {
          const value = env.secrets.get(m.id ?? '');
          if (value === undefined) {
            if (m.required) throw new InvalidArgumentError(`secret ${m.id} is required but was not provided (slipway build --secret id=${m.id},src=FILE)`);
            break; // BuildKit skips a missing optional secret
          }
          if (m.env) vars.push(`${m.env}=${value.toString('utf8')}`);
          if (m.target === '') break;
          const file = secretFile();
          fs.writeFileSync(file, value, { mode: 0o600 });
          fs.chmodSync(file, m.mode ?? 0o400);
          fs.chownSync(file, m.uid ?? 0, m.gid ?? 0);
          specs.push({ destination: m.target, type: 'bind', source: file, options: ['bind', 'ro'] });
          break;
        }
        case 'ssh':
          // Planned (so the Dockerfile lints and plans), refused when the step would run.
          throw new InvalidArgumentError(`RUN --mount=type=ssh is not supported: Slipway does not forward an SSH agent into builds (id=${m.id})`);
      }
    }
  } catch (err) {
    release();
    throw err;
  }

  /** rw bind: an overlay whose upper dir is thrown away with the step (a file is copied). */
  function writable(src: string): string {
    const dir = scratch();
    if (!fs.statSync(src).isDirectory()) {
      const copy = path.join(dir, path.basename(src));
      fs.copyFileSync(src, copy);
      const st = fs.statSync(src);
      fs.chmodSync(copy, st.mode & 0o7777);
      fs.chownSync(copy, st.uid, st.gid);
      return copy;
    }
    const view = mountOverlay(env.sys, dir, [src]);
    views.push(view);
    return view.merged;
  }

  // Parents before children: a bind at /a/b must not be hidden by a later mount at /a.
  const depth = (p: string): number => p.split('/').filter(Boolean).length;
  specs.sort((a, b) => depth(a.destination) - depth(b.destination));
  return { mounts: specs, env: vars, targets: specs.map((s) => s.destination), release };
}

/**
 * A copy of the kept context entries under `out` (hard links where the filesystem allows,
 * copies otherwise), so ignored files are not visible through a bind of the context.
 */
function materialise(rel: string, entries: readonly ContextEntry[], out: string): string {
  const prefix = rel === '.' ? '' : `${rel}/`;
  for (const e of entries) {
    const sub = e.path === rel ? '' : e.path.slice(prefix.length);
    const dest = sub === '' ? out : path.join(out, sub);
    if (e.type === 'dir') {
      fs.mkdirSync(dest, { recursive: true });
      fs.chmodSync(dest, e.mode);
      fs.lchownSync(dest, e.uid, e.gid);
    } else if (e.type === 'file') {
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      try {
        fs.linkSync(e.absPath, dest);
      } catch {
        fs.copyFileSync(e.absPath, dest);
        fs.chmodSync(dest, e.mode);
        fs.lchownSync(dest, e.uid, e.gid);
      }
    } else if (e.type === 'symlink') {
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.symlinkSync(e.linkTarget ?? fs.readlinkSync(e.absPath), dest);
      fs.lchownSync(dest, e.uid, e.gid);
    }
  }
  return out;
}

/** lstat of `rel` as a layer stack (topmost first) shows it; a whiteout hides it. */
function stackStat(dirs: readonly string[], rel: string): fs.Stats | undefined {
  for (const d of dirs) {
    let st: fs.Stats;
    try { st = fs.lstatSync(path.join(d, rel)); } catch { continue; }
    return st.isCharacterDevice() && st.rdev === 0 ? undefined : st;
  }
  return undefined;
}

/** `target` resolved in the stack with its symlinks kept inside the root, as the container saw it. */
function resolveInStack(dirs: readonly string[], target: string): string {
  let rest = target.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  for (let hops = 0; rest.length > 0;) {
    const part = rest.shift()!;
    if (part === '..') { done.pop(); continue; }
    const st = stackStat(dirs, [...done, part].join('/'));
    if (!st?.isSymbolicLink() || ++hops > 40) { done.push(part); continue; }
    const link = dirs.map((d) => path.join(d, ...done, part)).find(isLink);
    if (!link) { done.push(part); continue; }
    const to = fs.readlinkSync(link);
    if (to.startsWith('/')) done.length = 0;
    rest = [...to.split('/').filter((p) => p !== '' && p !== '.'), ...rest];
  }
  return done.join('/');
}

function isLink(p: string): boolean {
  try { return fs.lstatSync(p).isSymbolicLink(); } catch { return false; }
}

/**
 * Removes from `upper` the mount points made for `targets` (and parents made for them): an
 * empty directory or empty file that no lower layer has, and an empty directory that overlay
 * only copied up (same mode and owner as below, not opaque). Stops at the first path the step
 * itself changed. Returns the container paths removed.
 */
export async function removeMountpoints(upper: string, lowers: readonly string[], targets: readonly string[], special: SpecialFs): Promise<string[]> {
  const removed: string[] = [];
  const sorted = [...targets].sort((a, b) => b.length - a.length);
  for (const target of sorted) {
    let rel = resolveInStack([upper, ...lowers], target);
    while (rel !== '') {
      const abs = path.join(upper, rel);
      let st: fs.Stats;
      try { st = fs.lstatSync(abs); } catch { break; }
      const below = stackStat(lowers, rel);
      const empty = st.isDirectory() ? fs.readdirSync(abs).length === 0 : st.isFile() && st.size === 0;
      if (!empty) break;
      if (below) {
        const copiedUp = st.isDirectory() && below.isDirectory() && (st.mode & 0o7777) === (below.mode & 0o7777) && st.uid === below.uid && st.gid === below.gid;
        if (!copiedUp || await isOpaque(special, abs)) break;
      }
      if (st.isDirectory()) fs.rmdirSync(abs); else fs.unlinkSync(abs);
      removed.push(`/${rel}`);
      rel = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    }
  }
  return removed;
}

async function isOpaque(special: SpecialFs, dir: string): Promise<boolean> {
  const attrs = special.xattrsOfSync ? [special.xattrsOfSync(dir) ?? {}] : [...(await special.listXattrs(dir)).values()];
  return attrs.some((a) => Object.keys(a).some((k) => k.endsWith('overlay.opaque')));
}

/**
 * The step as its cache key sees it: each mount that reads something carries the key of what
 * it read (mountSourceKeys), so a changed context file or a rebuilt stage misses the cache.
 */
export function withMountKeys(step: Step, keys: readonly string[]): Step {
  if (!step.run) return step;
  return { ...step, run: { ...step.run, mounts: step.run.mounts.map((m, i) => (keys[i] ? { ...m, content: keys[i] } : m)) } };
}

/**
 * A sharper reason than "instruction changed" when only what mounts read differs (the
 * `content` withMountKeys adds): "RUN --mount target=/src: its source changed".
 */
export function explainMountMiss(old: unknown, next: unknown): string[] | undefined {
  type Shape = { mounts?: Array<{ target?: string; content?: string }> };
  const a = (old ?? {}) as Shape;
  const b = (next ?? {}) as Shape;
  if (!Array.isArray(a.mounts) || !Array.isArray(b.mounts) || a.mounts.length !== b.mounts.length) return undefined;
  const strip = (v: Shape): string => canonicalJson({ ...v, mounts: v.mounts!.map(({ content: _c, ...m }) => m) });
  if (strip(a) !== strip(b)) return undefined;
  const reasons = b.mounts.flatMap((m, i) => (m.content !== a.mounts![i]!.content ? [`RUN --mount target=${m.target}: its source changed`] : []));
  return reasons.length > 0 ? reasons : undefined;
}
