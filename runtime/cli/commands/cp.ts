// slipway cp (docker cp): copy files and directories between a container and the local
// filesystem, either way, running or stopped, through the archive routes
// (HEAD/GET/PUT /containers/{id}/archive). "-" is a tar on stdin (into the container) or on
// stdout (out of it). Where a copy lands follows docker's rules (cp-paths.ts planCopy).
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { ApiClient } from '../../client';
import { idPath } from '../../client/paths';
import { archiveItems } from '../../container/archive/archive';
import { decodePathStat, GO_MODE, isGoDir, PATH_STAT_HEADER, type ContainerPathStat } from '../../container/archive/path-stat';
import { statusOf } from '../../errors';
import { extractTar, tarStream } from '../../layer';
import { defaultSpecialFs } from '../../layer/syscall-special-fs';
import { CliError, withClient } from '../api';
import type { CliContext, Command } from '../command';
import { humanSize } from '../format';
import { cpDirection, planCopy, sourceName, type DestKind } from './cp-paths';

interface CpOptions { archive: boolean; followLink: boolean; quiet: boolean }

const archivePath = (container: string) => `/containers/${idPath(container)}/archive`;

/** HEAD …/archive: the path's stat, or undefined when the service says 404 (or anything else: the PUT will tell). */
async function statInContainer(api: ApiClient, container: string, p: string): Promise<ContainerPathStat | undefined> {
  try {
    const res = await api.request('HEAD', archivePath(container), { query: { path: p } });
    res.resume();
    return decodePathStat(res.headers[PATH_STAT_HEADER.toLowerCase()] as string | undefined);
  } catch (err) {
    if (statusOf(err) >= 400) return undefined;
    throw err;
  }
}

/** Counts the bytes that pass (for "Successfully copied 2.05kB to …"). */
function counter(): Transform & { bytes: number } {
  const t = new Transform({ transform(chunk: Buffer, _enc, cb) { t.bytes += chunk.length; cb(null, chunk); } }) as Transform & { bytes: number };
  t.bytes = 0;
  return t;
}

function report(ctx: CliContext, o: CpOptions, bytes: number, to: string): void {
  // As the docker CLI: progress only for a terminal, never with -q.
  if (!o.quiet && (ctx.stderr as { isTTY?: boolean }).isTTY) ctx.stderr.write(`Successfully copied ${humanSize(bytes)} to ${to}\n`);
}

async function copyFrom(api: ApiClient, ctx: CliContext, container: string, srcPath: string, local: string, o: CpOptions): Promise<void> {
  let from = srcPath;
  if (o.followLink) {
    const st = await statInContainer(api, container, srcPath);
    if (st && (st.mode & GO_MODE.symlink) !== 0 && st.linkTarget) from = st.linkTarget;
  }
  const res = await api.request('GET', archivePath(container), { query: { path: from }, timeoutMs: 0 });
  const stat = decodePathStat(res.headers[PATH_STAT_HEADER.toLowerCase()] as string | undefined);
  if (local === '-') {
    await pipeline(res, ctx.stdout);
    return;
  }
  const dest = path.resolve(ctx.cwd, local);
  const top = stat.name === '/' ? '.' : stat.name;
  const plan = planCopy({ name: top, isDir: isGoDir(stat.mode) }, { path: local.endsWith('/') ? `${dest}/` : dest, kind: localKind(dest) });
  const count = counter();
  const options = { whiteouts: 'apply' as const, special: defaultSpecialFs(), sameOwner: false, noOverwriteDirNonDir: true };
  if (plan.name === top) {
    await extractTar(res.pipe(count), plan.dir, options);
  } else {
    // A new name: extract beside the destination, then move the top entry into place.
    if (!fs.existsSync(plan.dir)) throw new CliError(`destination directory ${plan.dir} must exist`);
    const tmp = fs.mkdtempSync(path.join(plan.dir, '.slipway-cp-'));
    try {
      await extractTar(res.pipe(count), tmp, options);
      fs.renameSync(top === '.' ? tmp : path.join(tmp, top), path.join(plan.dir, plan.name));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  report(ctx, o, count.bytes, local);
}

function localKind(p: string): DestKind {
  try {
    return fs.statSync(p).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

async function copyTo(api: ApiClient, ctx: CliContext, container: string, dstPath: string, local: string, o: CpOptions): Promise<void> {
  const query = { noOverwriteDirNonDir: 'true', copyUIDGID: o.archive ? 'true' : 'false' };
  let dst = await statInContainer(api, container, dstPath);
  let destination = dstPath;
  // A symlink at the destination is followed once, as the docker CLI does.
  if (dst && (dst.mode & GO_MODE.symlink) !== 0 && dst.linkTarget) {
    destination = dst.linkTarget;
    dst = await statInContainer(api, container, destination);
  }
  if (local === '-') {
    if (dst && !isGoDir(dst.mode)) throw new CliError(`destination "${container}:${dstPath}" must be a directory`);
    await api.request('PUT', archivePath(container), { query: { path: destination, ...query }, body: process.stdin, timeoutMs: 0, headers: { 'Content-Type': 'application/x-tar' } });
    return;
  }
  const src = path.resolve(ctx.cwd, local);
  let lstat: fs.Stats;
  try {
    lstat = o.followLink ? fs.statSync(src) : fs.lstatSync(src);
  } catch {
    throw new CliError(`lstat ${src}: no such file or directory`);
  }
  const kind: DestKind = !dst ? 'missing' : isGoDir(dst.mode) ? 'dir' : 'file';
  const plan = planCopy({ name: sourceName(local), isDir: lstat.isDirectory() }, { path: destination, kind });
  const count = counter();
  const tar = tarStream(archiveItems({ hostPath: src, lstat }, plan.name, defaultSpecialFs())).pipe(count);
  const res = await api.request('PUT', archivePath(container), { query: { path: plan.dir, ...query }, body: tar, timeoutMs: 0, headers: { 'Content-Type': 'application/x-tar' } });
  res.resume();
  report(ctx, o, count.bytes, `${container}:${dstPath}`);
}

export const cpCommand: Command = {
  name: 'cp',
  summary: 'Copy files/folders between a container and the local filesystem',
  usage: [
    'Usage:  slipway cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-',
    '        slipway cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
    '',
    'Copy files/folders between a container and the local filesystem',
    '',
    "Use '-' as the source to read a tar archive from stdin",
    'and extract it to a directory destination in a container.',
    "Use '-' as the destination to stream a tar archive of a",
    'container source to stdout.',
    '',
    'Options:',
    '  -a, --archive       Archive mode (copy all uid/gid information)',
    '  -L, --follow-link   Always follow symbol link in SRC_PATH',
    '  -q, --quiet         Suppress progress output during copy',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, strict: true, allowPositionals: true,
      options: { archive: { type: 'boolean', short: 'a' }, 'follow-link': { type: 'boolean', short: 'L' }, quiet: { type: 'boolean', short: 'q' } },
    });
    if (positionals.length !== 2) throw new CliError('"slipway cp" requires exactly 2 arguments: SRC DEST');
    const o: CpOptions = { archive: values.archive ?? false, followLink: values['follow-link'] ?? false, quiet: values.quiet ?? false };
    const dir = cpDirection(positionals[0], positionals[1]);
    await withClient(ctx, (api) => (dir.kind === 'from'
      ? copyFrom(api, ctx, dir.container, dir.containerPath, dir.local, o)
      : copyTo(api, ctx, dir.container, dir.containerPath, dir.local, o)));
    return 0;
  },
};
