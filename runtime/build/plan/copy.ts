// COPY/ADD → CopyPlan: source kinds, destination rules, --chown/--chmod parsing.
import path from 'node:path';
import type { Add, Copy } from '../../dockerfile/instructions.js';
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

/** BuildKit's isGitURL: git@, git://, ssh://, or http(s) URLs ending in .git (optionally #ref). */
function isGitUrl(s: string): boolean {
  return /^(git@|git:\/\/|ssh:\/\/)/.test(s) || /^https?:\/\/\S+\.git(#\S*)?$/i.test(s);
}

export function planCopy(ins: Copy | Add, ctx: CopyContext): CopyPlan {
  const isAdd = ins.kind === 'ADD';
  const heredocs = new Map(ins.heredocs.map((h) => [h.name, h]));
  const sources: CopySource[] = ins.sources.map((raw): CopySource => {
    const doc = /^<<-?/.test(raw) ? heredocs.get(raw.replace(/^<<-?/, '').replace(/['"]/g, '')) : undefined;
    if (doc) return { kind: 'inline', name: doc.name, content: doc.expand ? ctx.text(doc.content) : doc.content };
    const src = ctx.word(raw);
    if (isGitUrl(src) || URL_RE.test(src)) {
      if (!isAdd) ctx.fail(`source can't be a URL for COPY: ${src}`);
      if (ctx.from.kind !== 'context') ctx.fail(`ADD from a URL cannot be combined with --from: ${src}`);
      return isGitUrl(src) ? { kind: 'git', url: src } : { kind: 'url', url: src };
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
    link: ins.link, parents: ins.kind === 'COPY' ? ins.parents : false,
    exclude: ins.exclude.map((e) => ctx.word(e)),
    unpack: ins.kind === 'ADD' ? (ins.unpack === undefined ? 'auto' : ins.unpack ? 'always' : 'never') : 'never',
    keepGitDir: ins.kind === 'ADD' ? ins.keepGitDir : false,
  };
  if (ins.chown !== undefined) {
    const spec = ctx.word(ins.chown);
    plan.chown = ctx.lenient && /^:?$|:$|^:/.test(spec) ? { user: spec.split(':')[0] ?? '', group: spec.split(':')[1] } : parseChown(spec, ctx.fail);
  }
  if (ins.chmod !== undefined) plan.chmod = parseChmod(ctx.word(ins.chmod), ctx.fail);
  if (ins.kind === 'ADD' && ins.checksum !== undefined) {
    const checksum = ctx.word(ins.checksum);
    if (!/^sha(256|384|512):[0-9a-f]+$/.test(checksum)) ctx.fail(`invalid checksum digest: ${checksum}`);
    if (!sources.every((s) => s.kind === 'url' || s.kind === 'git')) ctx.fail('checksum can\'t be specified for non-HTTP(S) sources');
    plan.checksum = checksum;
  }
  return plan;
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
