// RUN --mount=type=cache directories: <state>/build-cache/mounts.
//
//   <hex>/meta.json   {id, created}: what the cache is, for `builder prune` output
//   <hex>/0, 1, ...   instances of the cache; builds share instance 0, `sharing=private` takes
//                     the first one nobody is using (creating it), as BuildKit gives a private
//                     mount a fresh cache when the shared one is busy
//
// <hex> is a digest of the cache's identity: its id plus what seeds it (`from`/`source`,
// uid/gid/mode), so two Dockerfiles naming the same id share a cache, as in BuildKit. The
// directories live outside every layer and survive builds; only prune removes them. Use counts
// are kept in this process (one service owns a state dir), and `sharing=locked` queues users of
// instance 0 one after the other.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../../common/atomic-file';

export interface CacheMountRequest {
  /** The cache's identity (canonical text); equal identities share a cache. */
  identity: string;
  /** The id as written (for prune's list). */
  id: string;
  sharing: 'shared' | 'private' | 'locked';
  /** Fills a new, empty instance directory (mode/owner or a seed copy). */
  create(dir: string): Promise<void>;
}

export interface CacheMountLease {
  dir: string;
  release(): void;
}

export interface CachePruneResult {
  /** Ids of the caches removed. */
  deleted: string[];
  reclaimed: number;
}

export class CacheMounts {
  private readonly users = new Map<string, number>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(readonly root: string) {}

  static keyOf(identity: string): string {
    return createHash('sha256').update(identity).digest('hex');
  }

  async acquire(req: CacheMountRequest): Promise<CacheMountLease> {
    const keyDir = path.join(this.root, CacheMounts.keyOf(req.identity));
    fs.mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    if (!fs.existsSync(path.join(keyDir, 'meta.json'))) writeFileAtomicSync(path.join(keyDir, 'meta.json'), JSON.stringify({ id: req.id, created: new Date().toISOString() }));
    let instance = 0;
    let unlock: (() => void) | undefined;
    if (req.sharing === 'private') {
      while ((this.users.get(path.join(keyDir, String(instance))) ?? 0) > 0) instance++;
    } else if (req.sharing === 'locked') {
      const q = path.join(keyDir, '0');
      const before = this.queues.get(q) ?? Promise.resolve();
      const mine = new Promise<void>((resolve) => { unlock = resolve; });
      const tail = before.then(() => mine);
      this.queues.set(q, tail);
      await before;
      // The last one out removes the queue, so the map does not grow with every build.
      void tail.then(() => { if (this.queues.get(q) === tail) this.queues.delete(q); });
    }
    const dir = path.join(keyDir, String(instance));
    this.users.set(dir, (this.users.get(dir) ?? 0) + 1);
    try {
      if (!fs.existsSync(dir)) await this.create(dir, req);
    } catch (err) {
      this.leave(dir);
      unlock?.();
      throw err;
    }
    let released = false;
    return {
      dir,
      release: () => {
        if (released) return;
        released = true;
        this.leave(dir);
        unlock?.();
      },
    };
  }

  private leave(dir: string): void {
    const n = (this.users.get(dir) ?? 1) - 1;
    if (n <= 0) this.users.delete(dir); else this.users.set(dir, n);
  }

  /** Made under a temp name and renamed, so a crash never leaves a half-seeded cache. */
  private async create(dir: string, req: CacheMountRequest): Promise<void> {
    const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
    fs.mkdirSync(tmp, { mode: 0o755 });
    try {
      await req.create(tmp);
      fs.renameSync(tmp, dir);
    } catch (err) {
      fs.rmSync(tmp, { recursive: true, force: true });
      // Another build of this service created it meanwhile: use that one.
      if (fs.existsSync(dir)) return;
      throw err;
    }
  }

  /** True while a RUN step uses some instance of the cache stored under `keyDir`. */
  private busy(keyDir: string): boolean {
    for (const dir of this.users.keys()) if (path.dirname(dir) === keyDir) return true;
    return false;
  }

  /** Removes every cache no running step uses; returns their ids and the bytes freed. */
  prune(): CachePruneResult {
    const out: CachePruneResult = { deleted: [], reclaimed: 0 };
    let names: string[];
    try { names = fs.readdirSync(this.root); } catch { return out; }
    for (const name of names) {
      const keyDir = path.join(this.root, name);
      if (this.busy(keyDir)) continue;
      let id = name;
      try { id = (JSON.parse(fs.readFileSync(path.join(keyDir, 'meta.json'), 'utf8')) as { id?: string }).id ?? name; } catch { /* no meta: show the key */ }
      out.reclaimed += diskUsage(keyDir);
      fs.rmSync(keyDir, { recursive: true, force: true });
      out.deleted.push(id);
    }
    return out;
  }
}

/** Allocated bytes under `dir` (st_blocks), symlinks not followed. */
export function diskUsage(dir: string): number {
  let total = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    let st: fs.Stats;
    try { st = fs.lstatSync(d); } catch { continue; }
    total += st.blocks * 512;
    if (!st.isDirectory()) continue;
    for (const name of fs.readdirSync(d)) stack.push(path.join(d, name));
  }
  return total;
}
