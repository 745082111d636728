// ADD <git ref>, with the host's git program (spawned from the service), in two phases:
//
//   resolve   before the cache key: `git ls-remote` turns the ref into a commit (a full SHA
//             needs no network). The key holds that commit, so an unchanged remote ref is a
//             cache hit and a new commit a miss that names it; --checksum is checked here.
//   checkout  only on a miss: a shallow fetch of exactly that commit into a temp dir under
//             the build dir, checkout, submodules, then the tree as BuildKit leaves it: .git
//             dropped unless --keep-git-dir, files 0644 or 0755 (executable), directories 0755,
//             times of the checkout (or the commit's with `?mtime=commit`). The copy then
//             treats the tree like a directory source owned by root.
//
// Addresses can carry credentials (https://user:token@host/x.git): every message and every
// git error text shown goes through redactUrl; the .git kept by --keep-git-dir records the
// redacted address as its origin.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SlipwayError } from '../../errors';
import { isCommitSha, parseGitRef, redactUrl, type GitRef } from '../plan/git-ref';
import type { FileRecord } from '../cache-key';
import type { CopyPlan } from '../plan';

export interface ResolvedGit {
  /** The source as written in the Dockerfile (the cache record's path). */
  url: string;
  source: GitRef;
  /** The commit that is checked out (for an annotated tag, the commit it points to). */
  commit: string;
  /** What ls-remote matched ("refs/heads/main", "refs/tags/v1"); "" for a commit SHA. */
  fullRef: string;
  /** The annotated tag object, when the ref was one. */
  tagObject?: string;
  keepGitDir: boolean;
  /** The address for messages. */
  shown: string;
  /** The build's signal, for the checkout that may follow (it stops git when the build is cancelled). */
  signal?: AbortSignal;
}

export interface GitOptions {
  /** The git program; default "git" on PATH. */
  git?: string;
  signal?: AbortSignal;
}

/** Resolves every git source of a COPY/ADD plan (undefined entries for the other sources). */
export async function resolveGitSources(copy: CopyPlan, options: GitOptions = {}): Promise<Array<ResolvedGit | undefined> | undefined> {
  if (!copy.sources.some((s) => s.kind === 'git')) return undefined;
  const out: Array<ResolvedGit | undefined> = [];
  for (const src of copy.sources) out.push(src.kind === 'git' ? await resolveGit(src.url, copy, options) : undefined);
  return out;
}

/** The cache records with each git source's resolved commit added to its record. */
export function withGitCommits(records: FileRecord[], resolved: Array<ResolvedGit | undefined>): FileRecord[] {
  const byUrl = new Map(resolved.filter((r): r is ResolvedGit => r !== undefined).map((r) => [r.url, r]));
  return records.map((r) => {
    const git = r.type === 'other' ? byUrl.get(r.path) : undefined;
    return git ? { ...r, commit: git.commit } : r;
  });
}

async function resolveGit(url: string, copy: CopyPlan, options: GitOptions): Promise<ResolvedGit> {
  const source = parseGitRef(url);
  if (!source) throw new SlipwayError(`not a git address: ${redactUrl(url)}`);
  const shown = redactUrl(source.remote);
  const checksum = (copy.checksum ?? source.checksum)?.toLowerCase();
  const keepGitDir = source.keepGitDir ?? copy.keepGitDir;
  let commit: string;
  let fullRef = '';
  let tagObject: string | undefined;
  if (isCommitSha(source.ref.toLowerCase())) {
    commit = source.ref.toLowerCase();
  } else {
    const args = source.ref === '' ? ['ls-remote', '--symref', '--', source.remote, 'HEAD'] : ['ls-remote', '--', source.remote, source.ref, `${source.ref}^{}`];
    const out = await runGit(args, source.remote, options).catch((err: unknown) => {
      throw new SlipwayError(`cannot reach the git repository ${shown}: ${(err as Error).message}`, { status: 400 });
    });
    const picked: { commit: string; ref: string; tagObject?: string } | undefined = source.ref === '' ? pickDefaultBranch(out) : pickRef(out, source.ref);
    if (!picked) {
      throw new SlipwayError(source.ref === ''
        ? `the git repository ${shown} has no default branch (HEAD): name a ref with #<branch>`
        : `the git repository ${shown} has no branch or tag "${source.ref}"${/^[0-9a-f]{4,39}$/i.test(source.ref) ? ' (a commit must be named by its full SHA)' : ''}`, { status: 400 });
    }
    ({ commit, ref: fullRef } = picked);
    tagObject = picked.tagObject;
  }
  if (checksum !== undefined && !commit.startsWith(checksum) && !(tagObject?.startsWith(checksum) ?? false)) {
    throw new SlipwayError(`git checksum mismatch for ${shown}${source.ref ? `#${source.ref}` : ''}: expected a commit starting with ${checksum}, got ${commit}`, { status: 400 });
  }
  return { url, source, commit, fullRef, ...(tagObject ? { tagObject } : {}), keepGitDir, shown, ...(options.signal ? { signal: options.signal } : {}) };
}

/** One line of `git ls-remote`: "<sha>\t<ref>". */
function lsRemoteLines(out: string): Array<[string, string]> {
  return out.split('\n').map((l) => l.split('\t') as [string, string]).filter((p) => p.length === 2);
}

/**
 * The commit `ref` names in ls-remote output, as BuildKit picks it: an exact "refs/…" name
 * first, then a branch, then a tag (an annotated tag's "^{}" line gives its commit).
 */
export function pickRef(out: string, ref: string): { commit: string; ref: string; tagObject?: string } | undefined {
  const exact = 'refs/' + ref.replace(/^refs\//, '');
  const head = `refs/heads/${ref.replace(/^refs\/heads\//, '')}`;
  const tag = `refs/tags/${ref.replace(/^refs\/tags\//, '')}`;
  const shas = new Map(lsRemoteLines(out).map(([sha, name]) => [name, sha]));
  for (const name of [exact, head]) {
    const sha = shas.get(name);
    if (sha && isCommitSha(sha) && !name.startsWith('refs/tags/')) return { commit: sha, ref: name };
  }
  const tagSha = shas.get(tag);
  if (!tagSha || !isCommitSha(tagSha)) return undefined;
  const peeled = shas.get(`${tag}^{}`);
  return peeled ? { commit: peeled, ref: tag, tagObject: tagSha } : { commit: tagSha, ref: tag };
}

/** HEAD's branch and commit in `git ls-remote --symref <remote> HEAD` output. */
export function pickDefaultBranch(out: string): { commit: string; ref: string } | undefined {
  const symref = /^ref: (refs\/\S+)\tHEAD$/m.exec(out)?.[1];
  const sha = lsRemoteLines(out).find(([s, name]) => name === 'HEAD' && isCommitSha(s))?.[0];
  return sha ? { commit: sha, ref: symref ?? '' } : undefined;
}

/**
 * Fetches and checks out the resolved commit under `scratch` (created; removed again when this
 * fails). Returns the directory to copy: the checkout, or its subdir.
 */
export async function checkoutGit(res: ResolvedGit, scratch: string, options: GitOptions = { signal: res.signal }): Promise<string> {
  const dir = path.join(scratch, 'checkout');
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  try {
    const git = (...args: string[]) => runGit(['-C', dir, ...args], res.source.remote, options);
    await git('init', '-q');
    await fetchCommit(res, git);
    await git('-c', 'advice.detachedHead=false', 'checkout', '-q', '--detach', res.commit);
    const keep = res.keepGitDir && res.source.subdir === '';
    if (res.source.submodules !== false && fs.existsSync(path.join(dir, '.gitmodules'))) {
      // Relative submodule URLs resolve against origin: the real address, for this step only.
      await git('remote', 'add', 'origin', res.source.remote);
      await git('submodule', 'update', '--init', '--recursive', '--depth=1').catch((err: unknown) => {
        throw new SlipwayError(`cannot fetch the submodules of ${res.shown}: ${(err as Error).message}`, { status: 400 });
      });
      await git('remote', 'remove', 'origin');
    }
    if (keep) {
      await git('remote', 'add', 'origin', redactUrl(res.source.remote));
      // An annotated tag keeps its tag object when the fetch brought it (not a fetch by SHA).
      if (res.fullRef.startsWith('refs/')) await git('update-ref', res.fullRef, res.tagObject ?? res.commit).catch(() => git('update-ref', res.fullRef, res.commit));
      await git('reflog', 'expire', '--all', '--expire=now');
      fs.rmSync(path.join(dir, '.git', 'FETCH_HEAD'), { force: true });
    }
    const commitTime = res.source.mtime === 'commit' ? Number((await git('log', '-1', '--format=%ct', res.commit)).trim()) : undefined;
    normaliseTree(dir, keep);
    if (commitTime !== undefined) setTimes(dir, new Date(commitTime * 1000));
    return res.source.subdir === '' ? dir : subdirOf(dir, res);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** A shallow fetch of the ref (or the SHA); falls back to the commit itself, then to a full fetch. */
async function fetchCommit(res: ResolvedGit, git: (...args: string[]) => Promise<string>): Promise<void> {
  const remote = res.source.remote;
  const has = () => git('cat-file', '-e', `${res.commit}^{commit}`).then(() => true, () => false);
  const attempts: string[][] = [
    ...(res.fullRef ? [['fetch', '-q', '--depth=1', '--no-tags', '--', remote, res.fullRef]] : []),
    // A server may refuse an unadvertised SHA; a full fetch of branches and tags then finds it.
    ['fetch', '-q', '--depth=1', '--no-tags', '--', remote, res.commit],
    ['fetch', '-q', '--tags', '--', remote, '+refs/heads/*:refs/remotes/origin/*'],
  ];
  let last: unknown;
  for (const args of attempts) {
    try {
      await git(...args);
      if (await has()) return;
    } catch (err) {
      last = err;
    }
  }
  const why = last instanceof Error ? `: ${last.message}` : '';
  throw new SlipwayError(`cannot fetch commit ${res.commit} from the git repository ${res.shown}${res.fullRef ? ` (${res.fullRef} moved?)` : ''}${why}`, { status: 400 });
}

/** The subdir of the checkout; every component must be a real directory (no symlinks out). */
function subdirOf(dir: string, res: ResolvedGit): string {
  let cur = dir;
  for (const part of res.source.subdir.split('/')) {
    cur = path.join(cur, part);
    const st = fs.lstatSync(cur, { throwIfNoEntry: false });
    if (!st?.isDirectory()) {
      const at = res.fullRef || res.commit;
      throw new SlipwayError(`the git repository ${res.shown} has no directory "${res.source.subdir}" at ${at}${st ? ` (${path.relative(dir, cur)} is not a directory)` : ''}`, { status: 400 });
    }
  }
  return cur;
}

/** BuildKit's modes for a git checkout; every ".git" (the repository, submodule links) dropped unless kept. */
function normaliseTree(dir: string, keepGitDir: boolean): void {
  const visit = (d: string): void => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.name === '.git') {
        if (!keepGitDir || d !== dir) fs.rmSync(p, { recursive: true, force: true });
        continue;
      }
      if (ent.isDirectory()) {
        fs.chmodSync(p, 0o755);
        visit(p);
      } else if (ent.isFile()) {
        fs.chmodSync(p, (fs.statSync(p).mode & 0o111) !== 0 ? 0o755 : 0o644);
      }
    }
  };
  fs.chmodSync(dir, 0o755);
  visit(dir);
}

function setTimes(dir: string, time: Date): void {
  const dirs: string[] = [];
  const visit = (d: string): void => {
    dirs.push(d);
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) visit(p);
      else fs.lutimesSync(p, time, time);
    }
  };
  visit(dir);
  // Deepest first, so that setting a child's time does not disturb its parent's afterwards.
  for (const d of dirs.reverse()) fs.utimesSync(d, time, time);
}

/** Environment for git: never prompt, no host-wide config, and nothing that redirects git itself. */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^GIT_/.test(k) || k === 'GIT_SSH' || k === 'GIT_SSH_COMMAND') env[k] = v;
  return {
    ...env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1',
    GIT_SSH_COMMAND: env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes -o ConnectTimeout=30',
  };
}

/** Runs git; a failure's message is the last lines of its stderr with the address redacted. */
export function runGit(args: string[], remote: string, options: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    // file:// submodules could read the host's repositories: refused, whatever git's default.
    const child = spawn(options.git ?? 'git', ['-c', 'protocol.file.allow=never', ...args], {
      env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') reject(new SlipwayError('ADD from a git repository needs the git program on the host of the service (apt-get install git)', { status: 500 }));
      else reject(new SlipwayError(e.name === 'AbortError' ? 'git was stopped: the build was cancelled' : scrub(e.message, remote)));
    });
    child.on('close', (code, signal) => {
      if (code === 0) { resolve(Buffer.concat(out).toString('utf8')); return; }
      const text = scrub(Buffer.concat(err).toString('utf8'), remote).trim().split('\n').slice(-3).join(' ').trim();
      reject(new SlipwayError(text || `git ${args.find((a) => !a.startsWith('-'))} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** `text` with the address, and any password or token in it, replaced by their redacted form. */
export function scrub(text: string, remote: string): string {
  let out = text.split(remote).join(redactUrl(remote));
  const m = /^([a-zA-Z0-9]+):\/\/([^@/?#]+)@/.exec(remote);
  if (m) {
    const [scheme, userinfo] = [m[1]!.toLowerCase(), m[2]!];
    const password = userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : undefined;
    // A bare http(s) user name is usually a token; an ssh user name is not a secret.
    const secrets = [password, scheme.startsWith('http') ? userinfo : undefined].filter((s): s is string => !!s && s.length >= 3);
    for (const secret of secrets) out = out.split(secret).join('xxxxx');
  }
  return out;
}
