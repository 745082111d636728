// The filesystem operations Node's fs module lacks: extended attributes and device nodes.
//
// Layers need both (overlay whiteouts are 0/0 character devices, opaque directories carry an
// xattr, file capabilities live in `security.capability`). Only runtime/linux/ may call libc,
// so this module defines the narrow interface and a host implementation built on the Debian
// `attr` tools (getfattr/setfattr) and coreutils `mknod`; runtime/linux/ can provide a
// koffi-backed implementation (lgetxattr/llistxattr/lsetxattr/mknodat) through the same
// interface, and tests can pass a recording fake.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SlipwayError } from '../errors';

const run = promisify(execFile);

export type NodeKind = 'char' | 'block' | 'fifo';

export interface SpecialFs {
  /** Every xattr of every path under `root`, keyed by '/'-separated path relative to root. Symlinks are not followed. */
  listXattrs(root: string): Promise<Map<string, Record<string, Buffer>>>;
  /** Sets one xattr on `path` itself (never following a final symlink). */
  setXattr(path: string, name: string, value: Buffer): Promise<void>;
  /** Creates a device node or FIFO; `mode` is the permission bits. */
  mknod(path: string, kind: NodeKind, mode: number, major: number, minor: number): Promise<void>;
  /**
   * Optional: the xattrs of one path (a final symlink not followed), read synchronously;
   * undefined when it has none. Where present, tree walks ask per path as they go instead of
   * listing the whole tree first (one walk instead of two).
   */
  xattrsOfSync?(path: string): Record<string, Buffer> | undefined;
}

/** Host implementation: getfattr/setfattr (package `attr`) and mknod (coreutils). */
export class HostSpecialFs implements SpecialFs {
  async listXattrs(root: string): Promise<Map<string, Record<string, Buffer>>> {
    let stdout: string;
    try {
      // -R recursive, -P do not follow symlinks, -d dump values, -m - every namespace, -e hex exact bytes.
      ({ stdout } = await run('getfattr', ['-R', '-P', '-d', '-m', '-', '-e', 'hex', '--absolute-names', root], { maxBuffer: 1 << 30, encoding: 'latin1' }));
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stdout?: string };
      if (e.code === 'ENOENT') throw new SlipwayError('reading extended attributes needs getfattr (Debian package "attr")', { cause: err });
      // getfattr exits 1 when some files could not be read but still prints the others.
      if (typeof e.stdout !== 'string') throw new SlipwayError(`cannot read extended attributes under ${root}`, { cause: err });
      stdout = e.stdout;
    }
    return parseGetfattr(Buffer.from(stdout, 'latin1').toString('utf8'), root);
  }

  async setXattr(path: string, name: string, value: Buffer): Promise<void> {
    try {
      await run('setfattr', ['-h', '-n', name, '-v', `0x${value.toString('hex')}`, '--', path]);
    } catch (err) {
      throw new SlipwayError(`cannot set extended attribute ${name} on ${path}`, { cause: err });
    }
  }

  async mknod(path: string, kind: NodeKind, mode: number, major: number, minor: number): Promise<void> {
    const args = ['-m', (mode & 0o7777).toString(8), '--', path, kind === 'char' ? 'c' : kind === 'block' ? 'b' : 'p'];
    if (kind !== 'fifo') args.push(String(major), String(minor));
    try {
      await run('mknod', args);
    } catch (err) {
      throw new SlipwayError(`cannot create ${kind} device ${path}`, { cause: err });
    }
  }
}

/**
 * Parses `getfattr -d -e hex --absolute-names` output:
 *   # file: /root/dir/name          (non-printable bytes escaped as \ooo)
 *   user.key=0x6869
 */
export function parseGetfattr(text: string, root: string): Map<string, Record<string, Buffer>> {
  const out = new Map<string, Record<string, Buffer>>();
  const prefix = root.replace(/\/+$/, '') + '/';
  let current: Record<string, Buffer> | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('# file: ')) {
      const abs = unescapeOctal(line.slice(8));
      const rel = abs === prefix.slice(0, -1) ? '' : abs.startsWith(prefix) ? abs.slice(prefix.length) : undefined;
      current = rel === undefined ? undefined : {};
      if (rel !== undefined && current) out.set(rel, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq <= 0) continue;
    const name = unescapeOctal(line.slice(0, eq));
    const raw = line.slice(eq + 1);
    current[name] = raw.startsWith('0x') ? Buffer.from(raw.slice(2), 'hex')
      : raw.startsWith('0s') ? Buffer.from(raw.slice(2), 'base64')
        : Buffer.from(raw.replace(/^"|"$/g, ''), 'utf8');
  }
  for (const [k, v] of out) if (Object.keys(v).length === 0) out.delete(k);
  return out;
}

/** getfattr escapes newline, backslash and other bytes as \ooo; undo it at byte level. */
function unescapeOctal(s: string): string {
  if (!s.includes('\\')) return s;
  const bytes: number[] = [];
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x5c && i + 3 < raw.length + 0 && /^[0-7]{3}$/.test(raw.subarray(i + 1, i + 4).toString('latin1'))) {
      bytes.push(parseInt(raw.subarray(i + 1, i + 4).toString('latin1'), 8));
      i += 3;
    } else bytes.push(raw[i]);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A SpecialFs for places without xattrs or device nodes: lists nothing, refuses to create. */
export const noSpecialFs: SpecialFs = {
  listXattrs: () => Promise.resolve(new Map()),
  setXattr: (path, name) => Promise.reject(new SlipwayError(`extended attribute ${name} on ${path}: not supported here`)),
  mknod: (path, kind) => Promise.reject(new SlipwayError(`${kind} device ${path}: not supported here`)),
};
