// SpecialFs over the Linux layer's Syscalls: llistxattr/lgetxattr/lsetxattr and mknod called
// directly, instead of spawning getfattr/setfattr/mknod (HostSpecialFs). A layer of 10,000 files
// then costs 10,000 llistxattr calls of about a microsecond each, where `getfattr -R` cost a
// process and a text dump of the whole tree; and the runtime no longer needs Debian's `attr`.
//
// It also answers per path (xattrsOfSync), so treeItemsSync reads each path's attributes as it
// walks, in one walk; listXattrs (diffs) still walks on its own, with readdir only (the dirent
// types say which entries are directories).
import fs from 'node:fs';
import path from 'node:path';
import { S_IF } from '../linux/constants';
import { LibcSyscalls } from '../linux/libc';
import { isErrno, type Syscalls } from '../linux/syscalls';
import { HostSpecialFs, type NodeKind, type SpecialFs } from './special-fs';

/** The calls this module needs, so tests can pass a narrow fake. */
export type SpecialSyscalls = Pick<Syscalls, 'llistxattr' | 'lgetxattr' | 'lsetxattr' | 'mknod'>;

/** File type bits of mknod(2)'s mode, per node kind. */
export const NODE_TYPE_BITS: Record<NodeKind, number> = { char: S_IF.CHR, block: S_IF.BLK, fifo: S_IF.FIFO };

export class SyscallSpecialFs implements SpecialFs {
  constructor(private readonly sys: SpecialSyscalls) {}

  listXattrs(root: string): Promise<Map<string, Record<string, Buffer>>> {
    try {
      return Promise.resolve(this.listXattrsSync(root));
    } catch (err) {
      return Promise.reject(err as Error); // a rejection, never a synchronous throw, as the contract's callers expect
    }
  }

  /** listXattrs without the promise: every path under root (and root itself as ''). */
  listXattrsSync(root: string): Map<string, Record<string, Buffer>> {
    const out = new Map<string, Record<string, Buffer>>();
    let rootStat: fs.Stats;
    try {
      rootStat = fs.lstatSync(root);
    } catch (err) {
      // As `getfattr -R` on a missing directory: nothing to list (a diff's absent lower dir).
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
      throw err;
    }
    const top = path.resolve(root);
    const rootAttrs = this.xattrsOfSync(top);
    if (rootAttrs) out.set('', rootAttrs);
    if (rootStat.isDirectory()) this.walk(top, '', out);
    return out;
  }

  private walk(dir: string, rel: string, out: Map<string, Record<string, Buffer>>): void {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`; // dir is normal (path.resolve); only "/" ends with a slash
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${d.name}` : d.name;
      const abs = prefix + d.name;
      const attrs = this.xattrsOfSync(abs);
      if (attrs) out.set(childRel, attrs);
      if (d.isDirectory()) this.walk(abs, childRel, out);
    }
  }

  /** The xattrs of one path, undefined when it has none (or vanished since it was listed). */
  xattrsOfSync(abs: string): Record<string, Buffer> | undefined {
    let names: string[];
    try {
      names = this.sys.llistxattr(abs);
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return undefined; // removed while we walked: the tar walk will not see it either
      throw err;
    }
    if (names.length === 0) return undefined;
    const attrs: Record<string, Buffer> = {};
    for (const name of names) {
      const value = this.sys.lgetxattr(abs, name);
      if (value !== undefined) attrs[name] = value; // undefined: removed between the two calls
    }
    return Object.keys(attrs).length > 0 ? attrs : undefined;
  }

  setXattr(target: string, name: string, value: Buffer): Promise<void> {
    try {
      this.sys.lsetxattr(target, name, value, 0);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  mknod(target: string, kind: NodeKind, mode: number, major: number, minor: number): Promise<void> {
    try {
      const perm = mode & 0o7777;
      this.sys.mknod(target, NODE_TYPE_BITS[kind] | perm, kind === 'fifo' ? 0 : major, kind === 'fifo' ? 0 : minor);
      // mknod(2) applies the umask (and ignores set-id bits); set the mode exactly, as `mknod -m` does.
      if (perm !== 0) fs.chmodSync(target, perm);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }
}

let chosen: SpecialFs | undefined;

/**
 * The SpecialFs the service, builder and CLI use: libc through koffi, or — only where koffi
 * cannot load (an unsupported platform or architecture) — the host tools. One per thread.
 */
export function defaultSpecialFs(): SpecialFs {
  if (!chosen) {
    try {
      chosen = new SyscallSpecialFs(new LibcSyscalls());
    } catch {
      chosen = new HostSpecialFs();
    }
  }
  return chosen;
}
