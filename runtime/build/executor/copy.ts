// COPY and ADD, done from the service into a step's merged tree (see mounts.ts). The selection
// (what is copied) comes from build/context, the same one the cache key hashed. Rules, as
// Docker's: a directory source copies its contents; a destination ending in "/" (or several
// sources, or an existing directory) receives sources by their base name; files from the
// context belong to 0:0 unless --chown, files from a stage or image keep their owner;
// --chmod applies to everything copied; ADD unpacks local tar archives (safely, nothing can
// land outside the destination), downloads URLs (mode 0600, --checksum verified) and clones git
// refs (git.ts; the checkout is then copied like a directory source from the context).
// COPY --parents keeps each match's path from the context root, or from an rsync-style "/./"
// pivot in the source; the parent directories it creates take their source's mode.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { InvalidArgumentError, SlipwayError } from '../../errors';
import { parseGroup, parsePasswd } from '../../container/config/user';
import { extractTar } from '../../layer/extract';
import type { SpecialFs } from '../../layer/special-fs';
import { detectCompression, IgnoreMatcher, isTarHeader, parentsPivot, resolveInRoot, walk, type Compression, type ContextEntry, type CopySelection } from '../context';
import type { ChownSpec, CopyPlan } from '../plan';
import { redactUrl } from '../plan/git-ref';
import { checkoutGit, type ResolvedGit } from './git';
import { fetchToFile, type Download } from './url';

export interface CopyInput {
  /** The merged tree the files go into. */
  root: string;
  copy: CopyPlan;
  kind: 'copy' | 'add';
  selection: CopySelection;
  special: SpecialFs;
  /** For ADD <url>; global fetch by default. */
  fetch?: typeof fetch;
  /** ADD <git ref>: per source, the commit resolved for the cache key (git.ts resolveGitSources). */
  git?: Array<ResolvedGit | undefined>;
  /** ADD <url>: per source, the file downloaded for the cache key (url.ts downloadUrlSources). */
  downloads?: Array<Download | undefined>;
  /** Where git checkouts and downloads are made and removed again; default: next to `root` (the step's dir). */
  scratch?: string;
}

export interface Owner { uid: number; gid: number }

/** --chown names resolved against the image's /etc/passwd and /etc/group (in `root`). */
export function resolveChown(root: string, chown: ChownSpec | undefined): Owner | undefined {
  if (!chown) return undefined;
  const read = (f: string) => { try { return fs.readFileSync(path.join(root, f), 'utf8'); } catch { return ''; } };
  // "root" is always 0, with or without an /etc/passwd (BuildKit's llb.WithUser; a --link tree has none).
  const isId = (s: string) => /^\d+$/.test(s) || s === 'root';
  const idOf = (s: string) => (s === 'root' ? 0 : Number(s));
  let uid: number; let gid: number | undefined;
  if (isId(chown.user)) uid = idOf(chown.user);
  else {
    const entry = parsePasswd(read('etc/passwd')).find((p) => p.name === chown.user);
    if (!entry) throw new InvalidArgumentError(`unable to convert uid/gid chown string to host mapping: can't find uid for user ${chown.user}: no such user: ${chown.user}`);
    uid = entry.uid; gid = entry.gid;
  }
  if (chown.group !== undefined) {
    if (isId(chown.group)) gid = idOf(chown.group);
    else {
      const g = parseGroup(read('etc/group')).find((x) => x.name === chown.group);
      if (!g) throw new InvalidArgumentError(`unable to convert uid/gid chown string to host mapping: can't find gid for group ${chown.group}: no such group: ${chown.group}`);
      gid = g.gid;
    }
  }
  return { uid, gid: gid ?? uid };
}

/** Applies a numeric or symbolic (chmod(1): "u+x,go-w", "a=rX") mode to `mode`. */
export function applyChmod(mode: number, chmod: number | string | undefined, isDir: boolean): number {
  if (chmod === undefined) return mode;
  if (typeof chmod === 'number') return chmod;
  let out = mode & 0o7777;
  for (const clause of chmod.split(',')) {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!m) throw new InvalidArgumentError(`invalid --chmod "${chmod}": cannot parse "${clause}"`);
    const who = m[1] === '' || m[1].includes('a') ? 'ugo' : m[1];
    let bits = 0;
    for (const p of m[3]) {
      const perm = p === 'r' ? 4 : p === 'w' ? 2 : p === 'x' || (p === 'X' && (isDir || (mode & 0o111) !== 0)) ? 1 : 0;
      for (const w of who) bits |= perm << (w === 'u' ? 6 : w === 'g' ? 3 : 0);
      if (p === 's') bits |= (who.includes('u') ? 0o4000 : 0) | (who.includes('g') ? 0o2000 : 0);
      if (p === 't') bits |= 0o1000;
    }
    const mask = [...who].reduce((a, w) => a | (0o7 << (w === 'u' ? 6 : w === 'g' ? 3 : 0)), 0);
    if (m[2] === '+') out |= bits;
    else if (m[2] === '-') out &= ~bits;
    else out = (out & ~mask) | bits;
  }
  return out;
}

/** Performs the copy. Returns the number of paths written. */
export async function performCopy(input: CopyInput): Promise<number> {
  const { root, copy } = input;
  const owner = resolveChown(root, copy.chown);
  const fromContext = copy.from.kind === 'context';
  const ownerOf = (e: { uid: number; gid: number }): Owner => owner ?? (fromContext ? { uid: 0, gid: 0 } : { uid: e.uid, gid: e.gid });
  const matchCount = input.selection.matches.reduce((n, m) => n + m.length, 0) + copy.sources.filter((s) => s.kind !== 'path').length;
  // The destination, resolved inside the root (a symlink in it cannot lead out).
  const destRel = await resolveInRoot(root, copy.dest);
  const destAbs = destRel === '.' ? root : path.join(root, destRel);
  const destIsDir = copy.destIsDir || matchCount > 1 || isDirectory(destAbs);
  let written = 0;

  const ensureDir = (rel: string): void => {
    const parts = rel === '.' ? [] : rel.split('/');
    let cur = root;
    for (const part of parts) {
      cur = path.join(cur, part);
      const st = lstatOrUndefined(cur);
      if (st?.isDirectory()) continue;
      if (st) throw new InvalidArgumentError(`cannot copy to ${copy.destRaw}: ${path.relative(root, cur)} exists and is not a directory`);
      fs.mkdirSync(cur, { mode: 0o755 });
      fs.chmodSync(cur, 0o755);
      if (owner) fs.lchownSync(cur, owner.uid, owner.gid);
    }
  };
  const targetFor = (name: string): string => (destIsDir ? path.posix.join(destRel, name) : destRel);
  // --parents: the directories between the destination and a match, made as the source's are
  // (BuildKit copies them with their metadata); ones that exist are left as they are.
  const ensureParents = (kept: string, top: ContextEntry): void => {
    ensureDir(destRel);
    const parts = kept === '.' ? [] : kept.split('/').slice(0, -1);
    let cur = destRel;
    for (const [n, part] of parts.entries()) {
      cur = path.posix.join(cur, part);
      const abs = path.join(root, cur);
      const st = lstatOrUndefined(abs);
      if (st?.isDirectory()) continue;
      if (st) throw new InvalidArgumentError(`cannot copy to ${copy.destRaw}: ${cur} exists and is not a directory`);
      let srcDir = top.absPath;
      for (let up = parts.length - n; up > 0; up--) srcDir = path.dirname(srcDir);
      const from = fs.lstatSync(srcDir);
      const o = ownerOf(from);
      fs.mkdirSync(abs);
      fs.chmodSync(abs, applyChmod(from.mode & 0o7777, copy.chmod, true));
      fs.lchownSync(abs, o.uid, o.gid);
    }
  };

  for (const [i, src] of copy.sources.entries()) {
    if (src.kind === 'inline') {
      const rel = targetFor(src.name);
      ensureDir(path.posix.dirname(rel));
      const file = path.join(root, rel);
      replaceable(file);
      fs.writeFileSync(file, src.content);
      fs.chmodSync(file, applyChmod(0o644, copy.chmod, false));
      if (owner) fs.lchownSync(file, owner.uid, owner.gid);
      written++;
      continue;
    }
    if (src.kind === 'git') {
      const resolved = input.git?.[i];
      if (!resolved) throw new InvalidArgumentError(`ADD ${redactUrl(src.url)}: the git source was not resolved before the copy`);
      ensureDir(destRel);
      written += await copyGit(input, resolved, path.join(input.scratch ?? path.dirname(root), `git-${i}`), destRel, owner);
      continue;
    }
    if (src.kind === 'url') {
      written += await download(input, src.url, i, destIsDir, destRel, owner, ensureDir);
      continue;
    }
    for (const match of input.selection.matches[i] ?? []) {
      const top = match.entries[0];
      if (!top) continue;
      const kept = copy.parents ? parentsPath(src.path, match.path) : undefined;
      if (kept !== undefined) ensureParents(kept, top);
      if (top.type === 'dir') {
        // A directory's contents go into the destination (with --parents: under its own path).
        const base = kept !== undefined ? path.posix.join(destRel, kept) : destRel;
        // A directory --parents keeps is made by its own entry, with its source's mode.
        if (kept === undefined || kept === '.') ensureDir(base);
        for (const e of match.entries) {
          const rel = e.path === match.path ? '' : match.path === '.' ? e.path : e.path.slice(match.path.length + 1);
          written += writeEntry(root, rel === '' ? base : path.posix.join(base, rel), e, ownerOf(e), copy.chmod, rel === '');
        }
        continue;
      }
      const rel = kept !== undefined ? path.posix.join(destRel, kept) : targetFor(path.posix.basename(match.path));
      if (input.kind === 'add' && copy.unpack !== 'never' && top.type === 'file') {
        const compression = await archiveKind(top.absPath);
        if (compression) {
          const into = destIsDir || copy.dest.endsWith('/') ? destRel : destRel;
          ensureDir(into);
          await unpackArchive(top.absPath, compression, path.join(root, into), input.special);
          written++;
          continue;
        }
      }
      ensureDir(path.posix.dirname(rel));
      written += writeEntry(root, rel, top, ownerOf(top), copy.chmod, false);
    }
  }
  if (copy.link) settleLinkedTimes(root);
  return written;
}

/**
 * COPY --link: `root` is the layer's own tree. Files keep their source times; directories the
 * copy made and symlinks would carry the time of this build, so they get the newest file time
 * of the layer instead: the same sources give the same layer, byte for byte, whatever came
 * before it and whenever it is rebuilt (what makes a --link layer reusable).
 */
function settleLinkedTimes(root: string): void {
  let newest = 0;
  const others: string[] = [];
  const visit = (dir: string): void => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, ent.name);
      if (ent.isDirectory()) visit(p);
      if (ent.isFile()) newest = Math.max(newest, fs.lstatSync(p).mtimeMs);
      else others.push(p);
    }
  };
  visit(root);
  const t = new Date(Math.floor(newest / 1000) * 1000);
  // Setting times changes no directory's mtime (only adding or removing entries does): any order.
  for (const p of others) fs.lutimesSync(p, t, t);
  fs.utimesSync(root, t, t);
}

/**
 * COPY --parents: the part of a matched path kept under the destination. Without a pivot, the
 * whole path from the source root; with rsync's "/./" in the source (`x/./y/*.txt`), the part
 * after it (`y/a.txt`). "." when the match is the pivot directory itself.
 */
export function parentsPath(source: string, matched: string): string {
  const pivot = parentsPivot(source);
  if (pivot === '.') return matched;
  if (matched === pivot) return '.';
  return matched.startsWith(pivot + '/') ? matched.slice(pivot.length + 1) : matched;
}

/** ADD <git ref>: checks the commit out under `scratch`, copies the tree into `destRel`, removes the checkout. */
async function copyGit(input: CopyInput, res: ResolvedGit, scratch: string, destRel: string, owner: Owner | undefined): Promise<number> {
  try {
    const dir = await checkoutGit(res, scratch);
    // --exclude patterns match paths inside the repository (BuildKit copies its "/").
    const excluded = new IgnoreMatcher(input.copy.exclude);
    const entries = await walk(dir, '.', (p) => !excluded.ignores(p), false, excluded.hasExclusions);
    let written = 0;
    for (const e of entries) {
      const rel = e.path === '.' ? destRel : path.posix.join(destRel, e.path);
      written += writeEntry(input.root, rel, e, owner ?? { uid: 0, gid: 0 }, input.copy.chmod, e.path === '.');
    }
    return written;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes one selected entry at `rel` under root. For the directory being copied itself (`isTop`), only its metadata. */
function writeEntry(root: string, rel: string, e: ContextEntry, owner: Owner, chmod: number | string | undefined, isTop: boolean): number {
  const abs = path.join(root, rel);
  const existing = lstatOrUndefined(abs);
  if (e.type === 'dir') {
    if (existing && !existing.isDirectory()) fs.rmSync(abs, { force: true });
    if (!existing?.isDirectory()) fs.mkdirSync(abs, { mode: 0o755 });
    // The destination directory itself keeps its metadata when it already existed (Docker).
    if (isTop && existing?.isDirectory()) return 0;
    fs.chmodSync(abs, applyChmod(e.mode, chmod, true));
    fs.lchownSync(abs, owner.uid, owner.gid);
    return 1;
  }
  if (existing?.isDirectory()) throw new InvalidArgumentError(`cannot copy ${e.path} onto the directory /${rel}`);
  if (existing) fs.rmSync(abs, { force: true });
  if (e.type === 'symlink') {
    fs.symlinkSync(e.linkTarget ?? '', abs);
    fs.lchownSync(abs, owner.uid, owner.gid);
    return 1;
  }
  if (e.type !== 'file') return 0; // sockets, fifos and devices are not copied
  copyFile(e.absPath, abs, applyChmod(e.mode, chmod, false), owner);
  return 1;
}

const SMALL_FILE = 1 << 20;

/**
 * One file with its mode, owner and (as Docker does) the source's modification time. Small
 * files go through one read and one write on open descriptors: copyFileSync costs over 1 ms
 * per file on some file systems (10,000 files took 14 s), this about 0.1 ms.
 */
function copyFile(src: string, dest: string, mode: number, owner: Owner): void {
  const from = fs.openSync(src, 'r');
  try {
    const st = fs.fstatSync(from);
    if (st.size > SMALL_FILE) {
      fs.copyFileSync(src, dest);
      fs.lchownSync(dest, owner.uid, owner.gid); // before the mode: chown(2) clears setuid/setgid
      fs.chmodSync(dest, mode);
      fs.utimesSync(dest, st.atime, st.mtime);
      return;
    }
    const data = fs.readFileSync(from);
    const to = fs.openSync(dest, 'w', mode);
    try {
      fs.writeSync(to, data);
      // Owner first: chown(2) clears setuid/setgid bits, even as root. Then the mode (the umask trimmed the open's).
      fs.fchownSync(to, owner.uid, owner.gid);
      fs.fchmodSync(to, mode);
      fs.futimesSync(to, st.atime, st.mtime);
    } finally {
      fs.closeSync(to);
    }
  } finally {
    fs.closeSync(from);
  }
}

/** ADD <url>: the file downloaded for the cache key (url.ts), or downloaded now (and --checksum verified). */
async function download(input: CopyInput, url: string, index: number, destIsDir: boolean, destRel: string, owner: Owner | undefined, ensureDir: (rel: string) => void): Promise<number> {
  const pre = input.downloads?.[index];
  const tmp = path.join(input.scratch ?? path.dirname(input.root), `url-${index}`);
  const got = pre ?? await fetchToFile(url, tmp, { fetch: input.fetch, checksum: input.copy.checksum });
  try {
    const name = path.posix.basename(new URL(url).pathname) || 'index.html';
    const rel = destIsDir ? path.posix.join(destRel, name) : destRel;
    ensureDir(path.posix.dirname(rel));
    const file = path.join(input.root, rel);
    replaceable(file);
    fs.copyFileSync(got.file, file);
    fs.chmodSync(file, applyChmod(0o600, input.copy.chmod, false));
    if (owner) fs.lchownSync(file, owner.uid, owner.gid);
    const modified = got.lastModified;
    if (modified && !Number.isNaN(Date.parse(modified))) fs.utimesSync(file, new Date(), new Date(modified));
    return 1;
  } finally {
    if (!pre) fs.rmSync(tmp, { force: true });
  }
}

/** The compression of a local file when it is a tar archive (Docker's ADD rule), else undefined. */
export async function archiveKind(file: string): Promise<Compression | undefined> {
  const fd = fs.openSync(file, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(512);
    head = head.subarray(0, fs.readSync(fd, head, 0, 512, 0));
  } finally {
    fs.closeSync(fd);
  }
  const compression = detectCompression(head);
  if (compression === 'none') return isTarHeader(head) ? 'none' : undefined;
  const first = await firstBytes(decompress(fs.createReadStream(file), compression), 512).catch(() => Buffer.alloc(0));
  return first.length === 512 && isTarHeader(first) ? compression : undefined;
}

const TOOLS: Record<Exclude<Compression, 'none' | 'gzip'>, string> = { bzip2: 'bzip2', xz: 'xz', zstd: 'zstd' };

function decompress(input: Readable, compression: Compression): Readable {
  if (compression === 'none') return input;
  if (compression === 'gzip') return input.pipe(zlib.createGunzip());
  // Node has no bzip2/xz/zstd decoder: the host's tool does it (a clear error when missing).
  const child = spawn(TOOLS[compression], ['-dc'], { stdio: ['pipe', 'pipe', 'ignore'] });
  child.on('error', (err) => child.stdout.destroy(new SlipwayError(`cannot unpack a ${compression} archive: ${TOOLS[compression]} is not installed`, { cause: err })));
  input.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  return child.stdout;
}

async function firstBytes(stream: Readable, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let have = 0;
  for await (const c of stream) {
    chunks.push(c as Buffer);
    have += (c as Buffer).length;
    if (have >= n) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, n);
}

async function unpackArchive(file: string, compression: Compression, into: string, special: SpecialFs): Promise<void> {
  await extractTar(decompress(fs.createReadStream(file), compression), into, { whiteouts: 'apply', special, sameOwner: true });
}

/** Removes what is at `p` unless it is a directory: writing through an image's symlink could leave the root. */
function replaceable(p: string): void {
  const st = lstatOrUndefined(p);
  if (st?.isDirectory()) throw new InvalidArgumentError(`cannot write the file ${path.basename(p)}: a directory is in the way`);
  if (st) fs.rmSync(p, { force: true });
}

function isDirectory(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  return fs.lstatSync(p, { throwIfNoEntry: false });
}
