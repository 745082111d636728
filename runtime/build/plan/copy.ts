// COPY/ADD → CopyPlan: source kinds, destination rules, --chown/--chmod parsing.
import path from 'node:path';
import type { Add, Copy } from '../../dockerfile/instructions.js';
import { parseGitRef } from './git-ref.js';
import type { ChownSpec, CopyPlan, CopySource, SourceRef } from './types.js';

export interface CopyContext {
  /** Expand one word with the stage's ARG/ENV scope. */
  word: (text: string) => string;
  /** Expand heredoc text (quotes left alone). */
  text: (text: string) => string;
  workdir: string | undefined;
  from: SourceRef;
  /** Throw a located DockerfileError. */
  fail: (message: string) => never;
  /**
   * The base image's config is unknown (planning for the editor, before images are loaded):
   * values that depend on its ENV may expand to "" here, so --chown is not judged yet.
   */
  lenient?: boolean;
}

const GLOB = /[*?[]/;
const URL_RE = /^https?:\/\//i;
const WINDOWS_ABS = /^[A-Za-z]:[\\/]/;

/** The digests ADD --checksum accepts for a download (go-digest's algorithms and lengths). */
const HTTP_DIGEST = /^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/;

export function planCopy(ins: Copy | Add, ctx: CopyContext): CopyPlan {
  const isAdd = ins.kind === 'ADD';
  const heredocs = new Map(ins.heredocs.map((h) => [h.name, h]));
  const sources: CopySource[] = ins.sources.map((raw): CopySource => {
    const doc = /^<<-?/.test(raw) ? heredocs.get(raw.replace(/^<<-?/, '').replace(/['"]/g, '')) : undefined;
    if (doc) return { kind: 'inline', name: doc.name, content: doc.expand ? ctx.text(doc.content) : doc.content };
    const src = ctx.word(raw);
    let git;
    try { git = parseGitRef(src); } catch (err) { ctx.fail((err as Error).message); }
    if (git || URL_RE.test(src)) {
      if (!isAdd) ctx.fail(git ? `source can't be a git ref for COPY: ${src}` : `source can't be a URL for COPY: ${src}`);
      if (ctx.from.kind !== 'context') ctx.fail(`ADD from a URL cannot be combined with --from: ${src}`);
      return git ? { kind: 'git', url: src } : { kind: 'url', url: src };
    }
    if (src === '') ctx.fail('COPY source can not be an empty string');
    // Sources are relative to the source root; a leading "/" means the same thing (Docker).
    return { kind: 'path', path: src, glob: GLOB.test(src) };
  });
  const destRaw = ctx.word(ins.dest);
  let dest = destRaw;
  if (dest === '') ctx.fail(`${ins.kind} destination can not be an empty string`);
  // Windows images write `C:\\dir\\`: a trailing backslash also means "a directory".
  const endsWithSlash = dest.endsWith('/') || dest.endsWith('/.') || dest === '.' || dest.endsWith('\\');
  if (!path.posix.isAbsolute(dest) && !WINDOWS_ABS.test(dest)) dest = path.posix.join(ctx.workdir || '/', dest) + (endsWithSlash ? '/' : '');
  const destIsDir = endsWithSlash || dest.endsWith('/');
  if (sources.length > 1 && !destIsDir) {
    ctx.fail(`When using ${ins.kind} with more than one source file, the destination must be a directory and end with a /`);
  }
  const plan: CopyPlan = {
    from: ctx.from, sources, dest: dest === '/' ? '/' : dest.replace(/\/+$/, '') || '/', destRaw, destIsDir,
    // BuildKit links only without --chmod (its dispatchCopy falls back to a plain copy then).
    link: ins.link && ins.chmod === undefined, parents: ins.kind === 'COPY' ? ins.parents : false,
    exclude: ins.exclude.map((e) => ctx.word(e)),
    unpack: ins.kind === 'ADD' ? (ins.unpack === undefined ? 'auto' : ins.unpack ? 'always' : 'never') : 'never',
    keepGitDir: ins.kind === 'ADD' ? ins.keepGitDir : false,
  };
  if (ins.chown !== undefined) {
    const spec = ctx.word(ins.chown);
    plan.chown = ctx.lenient && /^:?$|:$|^:/.test(spec) ? { user: spec.split(':')[0] ?? '', group: spec.split(':')[1] } : parseChown(spec, ctx.fail);
  }
  if (plan.link && plan.chown) checkLinkedChown(plan.chown, ins.kind, ctx.fail);
  if (ins.chmod !== undefined) plan.chmod = parseChmod(ctx.word(ins.chmod), ctx.fail);
  if (ins.kind === 'ADD' && ins.checksum !== undefined) plan.checksum = planChecksum(ctx.word(ins.checksum), sources, ctx.fail);
  if (ins.kind === 'ADD') checkGitOptions(plan, ctx.fail);
  return plan;
}

/**
 * ADD --checksum (BuildKit's rules): one source only; for a download a digest
 * ("sha256:<64 hex>", sha384 and sha512 too), for a git ref the commit SHA or a prefix of it.
 */
function planChecksum(checksum: string, sources: CopySource[], fail: (m: string) => never): string {
  if (sources.length !== 1) fail('checksum can\'t be specified for multiple sources');
  const src = sources[0]!;
  if (src.kind === 'git') {
    if (!/^[0-9a-fA-F]+$/.test(checksum)) fail(`invalid checksum ${checksum} for a git source: expected a hex commit hash`);
    const fromUrl = parseGitRef(src.url)?.checksum;
    if (fromUrl !== undefined && fromUrl.toLowerCase() !== checksum.toLowerCase()) fail(`checksum mismatch "${checksum}" != "${fromUrl}"`);
    return checksum.toLowerCase();
  }
  if (src.kind !== 'url') fail('checksum can\'t be specified for non-HTTP(S) sources: it requires an HTTP(S) or git source');
  if (!HTTP_DIGEST.test(checksum)) fail(`invalid checksum digest: ${checksum} (expected sha256:<64 hex digits>, sha384: or sha512:)`);
  return checksum;
}

/** --keep-git-dir and a `?keep-git-dir=` in the URL must agree (BuildKit). */
function checkGitOptions(plan: CopyPlan, fail: (m: string) => never): void {
  for (const src of plan.sources) {
    if (src.kind !== 'git') continue;
    const keep = parseGitRef(src.url)?.keepGitDir;
    if (plan.keepGitDir && keep === false) fail(`inconsistent keep-git-dir configuration: --keep-git-dir and ${src.url}`);
  }
}

/**
 * A --link copy is made in an empty tree, which has no /etc/passwd to look names up in:
 * only numeric ids (and "root", which is always 0) can be used, as in BuildKit (its fix for
 * "invalid user index").
 */
function checkLinkedChown(chown: ChownSpec, kind: string, fail: (m: string) => never): void {
  for (const name of [chown.user, chown.group ?? '']) {
    // "" only while planning leniently.
    if (!/^\d+$/.test(name) && name !== '' && name !== 'root') {
      fail(`${kind} --link cannot resolve the name "${name}" of --chown: the layer is built apart from the image and has no /etc/passwd or /etc/group; use numeric ids`);
    }
  }
}

/** "user", "user:group", "1000:1000", ":group" is refused as Docker does. */
export function parseChown(spec: string, fail: (m: string) => never): ChownSpec {
  const [user, group, extra] = spec.split(':');
  if (!user || extra !== undefined || group === '') fail(`invalid chown parameter: "${spec}"`);
  return group === undefined ? { user: user! } : { user: user!, group };
}

/** Octal (`755`, `0644`) → number; a symbolic mode (`u+x,g-w`) is kept as text. */
export function parseChmod(spec: string, fail: (m: string) => never): number | string {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8);
  if (/^([ugoa]*[-+=]([rwxXst]*|[ugo]))(,[ugoa]*[-+=]([rwxXst]*|[ugo]))*$/.test(spec)) return spec;
  return fail(`invalid chmod parameter: "${spec}"`);
}
