// The pure rules of `slipway cp` (docker cp): which argument names a container
// (CONTAINER:PATH), and where a copy lands given what exists at the destination — the docker
// CLI's splitCpArg and moby's pkg/archive CopyInfoDestinationPath/PrepareArchiveCopy, with
// their errors.
import path from 'node:path';
import { CliError } from '../api';

export interface CpArg {
  /** Undefined for a local path (or "-"). */
  container?: string;
  path: string;
}

/**
 * docker's splitCpArg: an absolute path is local; "a:b" is container a, path b, unless the
 * part before ":" starts with "." (an explicit relative local path such as ./file:name).
 */
export function splitCpArg(arg: string): CpArg {
  if (arg.startsWith('/')) return { path: arg };
  const i = arg.indexOf(':');
  if (i < 0 || arg.startsWith('.')) return { path: arg };
  return { container: arg.slice(0, i), path: arg.slice(i + 1) };
}

export type CpDirection =
  | { kind: 'from'; container: string; containerPath: string; local: string }
  | { kind: 'to'; container: string; containerPath: string; local: string };

export function cpDirection(src: string, dst: string): CpDirection {
  const s = splitCpArg(src);
  const d = splitCpArg(dst);
  if (s.container !== undefined && d.container !== undefined) throw new CliError('copying between containers is not supported');
  if (s.container === undefined && d.container === undefined) throw new CliError('must specify at least one container source');
  if (s.container !== undefined) {
    if (s.container === '') throw new CliError('container name cannot be empty');
    return { kind: 'from', container: s.container, containerPath: s.path, local: d.path };
  }
  if (d.container === '') throw new CliError('container name cannot be empty');
  return { kind: 'to', container: d.container!, containerPath: d.path, local: s.path };
}

/** A path that says "this is a directory": a trailing "/" or "/." (moby's assertsDirectory). */
export function assertsDirectory(p: string): boolean {
  return p.endsWith('/') || p.endsWith('/.') || p === '.';
}

/** The top name of a source's archive: "." for "dir/." (its contents), else its base name. */
export function sourceName(p: string): string {
  if (p === '.' || p.endsWith('/.')) return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '.';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export type DestKind = 'dir' | 'file' | 'missing';

/** Where an archive whose top entry is `srcName` goes: into `dir`, its top entry renamed to `name`. */
export interface CopyPlan {
  /** The directory the archive is extracted into. */
  dir: string;
  /** The top entry's name there. */
  name: string;
}

/**
 * moby's copy rules: into an existing directory the source keeps its name; otherwise the
 * destination's base name becomes the source's name in the destination's parent. A directory
 * never replaces a file, and a file cannot go to a missing path that asserts a directory.
 */
export function planCopy(src: { name: string; isDir: boolean }, dst: { path: string; kind: DestKind }): CopyPlan {
  if (dst.kind === 'dir') return { dir: dst.path, name: src.name };
  if (dst.kind === 'file' && src.isDir) throw new CliError(`cannot copy a directory to a file: ${dst.path}`);
  if (dst.kind === 'file' && assertsDirectory(dst.path)) throw new CliError(`not a directory: ${dst.path}`);
  if (dst.kind === 'missing' && !src.isDir && assertsDirectory(dst.path)) throw new CliError(`destination directory ${dst.path} must exist`);
  const name = sourceName(dst.path);
  if (name === '.') throw new CliError(`invalid destination path: ${dst.path}`);
  return { dir: path.posix.dirname(dst.path), name };
}
