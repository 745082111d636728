// Path resolution inside a container's root, without letting a symlink in the image escape it
// (the attack that filepath-securejoin and runc's openat2(RESOLVE_IN_ROOT) defend against), and
// the PATH lookup the init does before execve, with Docker's error messages.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../errors';

const MAX_SYMLINKS = 40; // the kernel's own limit (ELOOP)

/**
 * Joins `unsafe` (a container path) onto `root`, resolving every symlink component as if `root`
 * were "/": absolute link targets restart at root, ".." never climbs above it. Missing
 * components are kept as they are (mount points are created afterwards).
 */
export function secureJoin(root: string, unsafe: string): string {
  let rest = unsafe.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  let links = 0;
  while (rest.length > 0) {
    const part = rest.shift() as string;
    if (part === '..') { done.pop(); continue; }
    const full = path.join(root, ...done, part);
    let st: fs.Stats | undefined;
    // throwIfNoEntry: a missing component is common (mount points yet to be made) and an
    // exception per miss is the slow part of a cold init's set-up.
    try { st = fs.lstatSync(full, { throwIfNoEntry: false }); } catch { st = undefined; }
    if (!st?.isSymbolicLink()) { done.push(part); continue; }
    if (++links > MAX_SYMLINKS) throw new InvalidArgumentError(`too many levels of symbolic links resolving ${unsafe} in ${root}`);
    const target = fs.readlinkSync(full);
    if (target.startsWith('/')) done.length = 0;
    rest = [...target.split('/').filter((p) => p !== '' && p !== '.'), ...rest];
  }
  return path.join(root, ...done);
}

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The PATH of an environment list ("K=V" strings), or Docker's default. */
export function pathOf(env: readonly string[]): string {
  const entry = [...env].reverse().find((e) => e.startsWith('PATH='));
  return entry === undefined ? DEFAULT_PATH : entry.slice(5);
}

export type LookResult = { path: string } | { error: string; exitCode: 126 | 127 };

export interface LookFs {
  /** 'file' executable by the caller, 'noexec' a file it cannot execute, 'dir', or undefined if absent. */
  probe(p: string): 'file' | 'noexec' | 'dir' | undefined;
}

/**
 * execvp's lookup, with Docker's (runc's) messages: `exec: "x": executable file not found in
 * $PATH` (127), `exec: "/x": stat /x: no such file or directory` (127), permission denied (126).
 */
export function lookPath(file: string, searchPath: string, fsx: LookFs): LookResult {
  if (file === '') return { error: 'exec: "": executable file not found in $PATH', exitCode: 127 };
  if (file.includes('/')) {
    const kind = fsx.probe(file);
    if (kind === undefined) return { error: `exec: "${file}": stat ${file}: no such file or directory`, exitCode: 127 };
    if (kind === 'dir') return { error: `exec: "${file}": is a directory`, exitCode: 126 };
    if (kind === 'noexec') return { error: `exec: "${file}": permission denied`, exitCode: 126 };
    return { path: file };
  }
  let sawNoExec = false;
  for (const dir of searchPath.split(':')) {
    const candidate = path.join(dir === '' ? '.' : dir, file);
    const kind = fsx.probe(candidate);
    if (kind === 'file') return { path: candidate };
    if (kind === 'noexec') sawNoExec = true;
  }
  if (sawNoExec) return { error: `exec: "${file}": permission denied`, exitCode: 126 };
  return { error: `exec: "${file}": executable file not found in $PATH`, exitCode: 127 };
}

/** LookFs on the calling thread's root and credentials (access(2) checks the real uid). */
export const realLookFs: LookFs = {
  probe(p) {
    let st: fs.Stats | undefined;
    try { st = fs.statSync(p, { throwIfNoEntry: false }); } catch { return undefined; }
    if (!st) return undefined;
    if (st.isDirectory()) return 'dir';
    try { fs.accessSync(p, fs.constants.X_OK); return 'file'; } catch { return 'noexec'; }
  },
};
