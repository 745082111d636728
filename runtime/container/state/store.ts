// Containers on disk: <root>/containers/<id>/config.v2.json, written atomically (temp file +
// rename, so a crash leaves the old or the new record, never half of one) and kept in memory
// for lookups. Lookup follows Docker: full id, then exact name, then unique id prefix.
import fs from 'node:fs';
import path from 'node:path';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../../errors';
import { generateName, normalizeName } from './ids';
import type { ContainerRecord } from './record';
import { writeFileAtomicSync } from '../../common/atomic-file';

const RECORD_FILE = 'config.v2.json';
/** A removed container's directory while it is deleted (ids are hex: never a dot). */
const REMOVED_PREFIX = '.removed-';

export class ContainerStore {
  private readonly byId = new Map<string, ContainerRecord>();
  /** Per-container write queue: updates to one record never interleave. */
  private readonly queues = new Map<string, Promise<unknown>>();
  readonly dir: string;

  constructor(stateRoot: string) {
    this.dir = path.join(stateRoot, 'containers');
  }

  /** Reads every record from disk (service start). Unreadable records are reported, not fatal. */
  async load(onError: (id: string, err: unknown) => void = () => {}): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    this.byId.clear();
    for (const id of await fs.promises.readdir(this.dir)) {
      if (id.startsWith(REMOVED_PREFIX)) {
        // A deletion the previous service did not finish (see forget).
        await fs.promises.rm(path.join(this.dir, id), { recursive: true, force: true }).catch((err) => onError(id, err));
        continue;
      }
      try {
        const rec = JSON.parse(await fs.promises.readFile(path.join(this.dir, id, RECORD_FILE), 'utf8')) as ContainerRecord;
        if (rec.id !== id) throw new Error(`record in ${id}/ says id ${rec.id}`);
        this.byId.set(id, rec);
      } catch (err) {
        onError(id, err);
      }
    }
  }

  containerDir(id: string): string {
    return path.join(this.dir, id);
  }

  list(): ContainerRecord[] {
    return [...this.byId.values()];
  }

  /** A free generated name (docker run without --name). */
  freeName(): string {
    return generateName((n) => this.list().some((r) => r.name === n));
  }

  /**
   * Stores a new record; the name must be valid and free. The directory is created here, so
   * a failed create removes it with `remove`.
   */
  async create(record: ContainerRecord): Promise<ContainerRecord> {
    const name = normalizeName(record.name);
    this.assertNameFree(name);
    if (this.byId.has(record.id)) throw new ConflictError(`container id ${record.id} already exists`);
    const rec = { ...record, name };
    this.byId.set(rec.id, rec);
    try {
      await fs.promises.mkdir(this.containerDir(rec.id), { recursive: true, mode: 0o700 });
      this.persist(rec);
    } catch (err) {
      this.byId.delete(rec.id);
      throw err;
    }
    return rec;
  }

  /** Throws Docker's 409 when another container has `name` (without the leading "/"). */
  assertNameFree(name: string, exceptId?: string): void {
    const holder = this.list().find((r) => r.name === name && r.id !== exceptId);
    if (holder) {
      throw new ConflictError(`Conflict. The container name "/${name}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`);
    }
  }

  /** The record for an id, a name, or a unique id prefix; undefined if none. */
  find(ref: string): ContainerRecord | undefined {
    const exact = this.byId.get(ref);
    if (exact) return exact;
    const name = ref.replace(/^\//, '');
    const named = this.list().find((r) => r.name === name);
    if (named) return named;
    if (!/^[0-9a-f]+$/.test(ref)) return undefined;
    const matches = this.list().filter((r) => r.id.startsWith(ref));
    if (matches.length > 1) throw new InvalidArgumentError(`multiple IDs found with provided prefix: ${ref}`);
    return matches[0];
  }

  get(ref: string): ContainerRecord {
    const rec = ref ? this.find(ref) : undefined;
    if (!rec) throw new NotFoundError(`No such container: ${ref}`);
    return rec;
  }

  /**
   * Changes a record and writes it; `change` runs on a copy, so a throw leaves both untouched.
   * `persist: false` changes only the copy in memory: for a record about to be forgotten (the
   * exit of a `--rm` container), whose disk copy a crash in between leaves "running" — and
   * re-adoption then records the exit and removes it all the same.
   */
  update(id: string, change: (rec: ContainerRecord) => void, opts: { persist?: boolean } = {}): Promise<ContainerRecord> {
    const run = async () => {
      const current = this.byId.get(id);
      if (!current) throw new NotFoundError(`No such container: ${id}`);
      const next = structuredClone(current);
      change(next);
      if (next.name !== current.name) {
        next.name = normalizeName(next.name);
        this.assertNameFree(next.name, id);
      }
      if (opts.persist !== false) this.persist(next);
      this.byId.set(id, next);
      return next;
    };
    const p = (this.queues.get(id) ?? Promise.resolve()).then(run, run);
    this.queues.set(id, p.catch(() => undefined));
    return p;
  }

  /** Forgets the record and deletes its directory (logs included). */
  async remove(id: string): Promise<void> {
    return (await this.forget(id)).deleted;
  }

  /**
   * Forgets the record and renames its directory aside, so the container is gone for every
   * lookup, listing and name check at once; `deleted` settles when the directory is deleted
   * (a deep upper dir can take a while: `run --rm` answers its waiter without waiting for it).
   * A service that dies before the deletion ends finishes it at its next load.
   */
  async forget(id: string): Promise<{ deleted: Promise<void> }> {
    await (this.queues.get(id) ?? Promise.resolve());
    this.byId.delete(id);
    this.queues.delete(id);
    const removed = path.join(this.dir, `${REMOVED_PREFIX}${id}`);
    try {
      fs.renameSync(this.containerDir(id), removed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { deleted: Promise.resolve() };
      throw err;
    }
    return { deleted: fs.promises.rm(removed, { recursive: true, force: true }) };
  }

  // Atomic (temp + rename) but not fsynced: a record changes several times per `run --rm` and
  // each fsync cost 5-12 ms on its critical path. The page cache survives a service crash; only a
  // power cut can lose a record, and then its container is dead anyway (load skips an unreadable
  // record through onError). Synchronous: a few KB written and renamed take ~0.1 ms on this
  // thread, where the same four calls through libuv's thread pool took 2-4 ms of wall time on a
  // busy machine, on the critical path of every start and exit.
  private persist(rec: ContainerRecord): void {
    writeFileAtomicSync(path.join(this.containerDir(rec.id), RECORD_FILE), JSON.stringify(rec, null, 2), { mode: 0o600, fsync: false });
  }
}
