// Mount points from /proc/self/mountinfo (proc_pid_mountinfo(5)): field 5 is the mount point,
// with space, tab, newline and backslash written as octal escapes (\040 \011 \012 \134).
import fs from 'node:fs';
import path from 'node:path';

/** A mountinfo path with its octal escapes decoded. */
export function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/**
 * Mount points at or below `dir` in `mountinfo` text, each once, deepest first (the order to
 * unmount them in). `dir/x` counts, `dir-other` does not.
 */
export function mountPointsUnder(mountinfo: string, dir: string): string[] {
  const prefix = path.resolve(dir);
  const points = mountinfo.split('\n').map((l) => l.split(' ')[4]).filter((m): m is string => !!m)
    .map(unescapeMountPath)
    .filter((m) => m === prefix || m.startsWith(prefix === '/' ? '/' : `${prefix}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Mount points at or below `dir` in this process's mount namespace, deepest first. */
export function mountsUnder(dir: string): string[] {
  return mountPointsUnder(fs.readFileSync('/proc/self/mountinfo', 'utf8'), dir);
}
