// `docker cp` on a container's root as a directory on the host (/proc/<pid>/root of a running
// container, a temporary overlay mount of a stopped one: runtime/service/parts/
// container-archive.ts provides it): stat a path, tar it, extract a tar into a directory.
//
// Every path is resolved inside `root` with secureJoin (container/start/paths.ts): an absolute
// symlink in the container means <root>/…, ".." stops at the root, so nothing outside the
// container is ever read or written through a link planted in it. Extraction goes through the
// layer extractor (layer/extract.ts), which keeps every entry inside the target directory.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, NotFoundError, SlipwayError } from '../../errors';
import { extractTar, type LayerItem, type SpecialFs } from '../../layer';
import { entryForSync, entryType, HardlinkTracker, type WalkedPath } from '../../layer/tree';
import { resolveUser } from '../config/user';
import { secureJoin } from '../start/paths';
import { fileNotFoundMessage, kernelMountPoints, pathStat, splitContainerPath, type ContainerPathStat } from './path-stat';

export interface ResolvedContainerPath {
  /** The path made absolute in the container, as the caller gave it. */
  absPath: string;
  /** Where it is on the host, under root. */
  hostPath: string;
  stat: ContainerPathStat;
  lstat: fs.Stats;
}

const NOT_THERE = new Set(['ENOENT', 'ENOTDIR']);

/** HEAD /containers/{id}/archive: the path's stat, its last component not followed (a symlink is reported as one). */
export function statContainerPath(root: string, rawPath: string | undefined, container: string): ResolvedContainerPath {
  const p = splitContainerPath(rawPath);
  const hostPath = p.followFinal ? secureJoin(root, p.absPath) : path.join(secureJoin(root, p.dir), p.base);
  let lstat: fs.Stats;
  try {
    // The root itself may be /proc/<pid>/root, a (magic) symlink on the host: stat it through.
    // Anything below was resolved by secureJoin, so only its own last component can be a link.
    lstat = hostPath === path.resolve(root) ? fs.statSync(hostPath) : fs.lstatSync(hostPath);
  } catch (err) {
    if (NOT_THERE.has((err as NodeJS.ErrnoException).code ?? '')) throw new NotFoundError(fileNotFoundMessage(p.absPath, container), { cause: err });
    throw new SlipwayError(`cannot stat ${p.absPath} in container ${container}`, { cause: err });
  }
  // dockerd reports where a symlink leads, fully resolved inside the container.
  const linkTarget = lstat.isSymbolicLink() ? `/${path.relative(root, secureJoin(root, p.absPath))}` : '';
  return { absPath: p.absPath, hostPath, lstat, stat: pathStat(p.absPath, lstat, linkTarget) };
}

/**
 * The tar entries of a path (GET /containers/{id}/archive, and the CLI's side of a copy in),
 * named `name` at the top: dockerd rebases on the path's base name ("/etc" gives etc,
 * etc/passwd, …; "/etc/." gives ., ./passwd, …: rebaseName). Directories are walked without
 * following any symlink below them, and without descending into `skip` (host paths).
 */
export function archiveItems(
  target: { hostPath: string; lstat: fs.Stats }, name: string, special: Pick<SpecialFs, 'xattrsOfSync'>,
  skip: ReadonlySet<string> = new Set(),
): Iterable<LayerItem> {
  const xattrsOf = (abs: string) => special.xattrsOfSync?.(abs);
  const rebased = (rel: string) => (name === '.' ? `./${rel}` : `${name}/${rel}`);
  return (function* () {
    const type = entryType(target.lstat);
    if (!type) return;
    const top = entryForSync({ rel: name, abs: target.hostPath, stat: target.lstat }, type, {}, xattrsOf(target.hostPath));
    yield type === 'file' ? { entry: top, source: target.hostPath } : { entry: top };
    if (type !== 'directory' || skip.has(target.hostPath)) return;
    const links = new HardlinkTracker();
    for (const p of walkPruned(target.hostPath, '', skip)) {
      const kind = entryType(p.stat);
      if (!kind) continue;
      const walked = { ...p, rel: rebased(p.rel) };
      const first = links.linkTarget(walked);
      if (first !== undefined) {
        yield { entry: { ...entryForSync(walked, 'link', {}, xattrsOf(p.abs)), size: 0, linkname: first } };
        continue;
      }
      const entry = entryForSync(walked, kind, {}, xattrsOf(p.abs));
      yield kind === 'file' ? { entry, source: p.abs } : { entry };
    }
  })();
}

/** walkTreeSync's order (parents first, siblings sorted), not descending into the `skip` directories (host paths). */
function* walkPruned(root: string, rel: string, skip: ReadonlySet<string>): Generator<WalkedPath> {
  const dir = rel ? path.join(root, rel) : root;
  for (const name of fs.readdirSync(dir).sort()) {
    const childRel = rel ? `${rel}/${name}` : name;
    const abs = path.join(root, childRel);
    const stat = fs.lstatSync(abs);
    yield { rel: childRel, abs, stat };
    if (stat.isDirectory() && !skip.has(abs)) yield* walkPruned(root, childRel, skip);
  }
}

/** The host paths of a live root's kernel mounts (/proc, /sys, /dev …) that archives leave empty. */
export function kernelMountDirs(root: string, mountinfo: string): Set<string> {
  return new Set(kernelMountPoints(mountinfo).map((p) => path.join(root, p)));
}

export interface ExtractIntoOptions {
  /** Refuse to replace a directory with a non-directory or the reverse (docker cp always asks). */
  noOverwriteDirNonDir: boolean;
  /**
   * copyUIDGID: as dockerd, entries are then owned by the container's USER (when it has one);
   * otherwise they keep the tar's uid/gid.
   */
  copyUIDGID: boolean;
  /** The container's Config.User. */
  user?: string;
  special: SpecialFs;
}

/** The owner copyUIDGID asks for: the container's user resolved from its /etc/passwd and /etc/group. */
export function copyOwner(root: string, user: string | undefined): { uid: number; gid: number } | undefined {
  if (!user) return undefined;
  const read = (p: string) => {
    try {
      return fs.readFileSync(secureJoin(root, p), 'utf8');
    } catch {
      return undefined;
    }
  };
  const u = resolveUser(user, read('/etc/passwd'), read('/etc/group'));
  return { uid: u.uid, gid: u.gid };
}

/** PUT /containers/{id}/archive: extracts a plain tar into an existing directory of the container. */
export async function extractInto(root: string, rawPath: string | undefined, container: string, input: Readable, opts: ExtractIntoOptions): Promise<void> {
  const target = statContainerPath(root, rawPath, container);
  if (!target.lstat.isDirectory()) throw new InvalidArgumentError(`extraction point is not a directory: ${target.absPath}`);
  const owner = opts.copyUIDGID ? copyOwner(root, opts.user) : undefined;
  await extractTar(input, target.hostPath, {
    whiteouts: 'apply', special: opts.special, sameOwner: true, noOverwriteDirNonDir: opts.noOverwriteDirNonDir, ...(owner ? { owner } : {}),
  });
}
