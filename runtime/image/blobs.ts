// Content-addressed blobs: <root>/blobs/sha256/<hex>, as the OCI image layout has them.
//
// Every write goes through an "ingest" file in <root>/ingest/ on the same filesystem: bytes
// are hashed and counted as they arrive; commit() checks size and digest, fsyncs, and renames
// into blobs/ (atomic), so a blob under blobs/ is always complete and correct. A mismatch
// deletes the partial and throws naming both digests. When the digest is known up front the
// partial is kept across failures (close() instead of commit()) and a later writer resumes at
// its `offset` — what the registry client needs for HTTP Range downloads.
import { createHash, randomBytes, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../errors';
import { breakStaleLock, tryLock, type Release } from './lock';
import { checkDigest } from './types';

export interface ExpectedBlob {
  digest?: string;
  size?: number;
}

export interface BlobInfo {
  digest: string;
  size: number;
}

export interface PutOptions {
  /** How long to wait for another writer of the same digest (two pulls sharing a blob) before ConflictError; 0 by default. */
  waitMs?: number;
}

export interface PutResult {
  info: BlobInfo;
  /** True when this call wrote the blob (it was not there and nobody else stored it meanwhile). */
  stored: boolean;
}

/** The bytes did not match what the descriptor promised. */
export class DigestMismatchError extends InvalidArgumentError {
  constructor(readonly what: string, readonly expected: string, readonly actual: string) {
    super(`${what}: expected ${expected}, got ${actual}`);
  }
}

const hexOf = (digest: string) => digest.slice('sha256:'.length);

export class BlobStore {
  readonly blobDir: string;
  readonly ingestDir: string;

  constructor(readonly root: string) {
    this.blobDir = path.join(root, 'blobs', 'sha256');
    this.ingestDir = path.join(root, 'ingest');
  }

  async init(): Promise<void> {
    await fs.promises.mkdir(this.blobDir, { recursive: true });
    await fs.promises.mkdir(this.ingestDir, { recursive: true });
  }

  path(digest: string): string {
    return path.join(this.blobDir, hexOf(checkDigest(digest)));
  }

  /** Size of a stored blob, or undefined. */
  async size(digest: string): Promise<number | undefined> {
    try {
      return (await fs.promises.stat(this.path(digest))).size;
    } catch {
      return undefined;
    }
  }

  async has(digest: string): Promise<boolean> {
    return (await this.size(digest)) !== undefined;
  }

  async read(digest: string): Promise<Buffer> {
    try {
      return await fs.promises.readFile(this.path(digest));
    } catch (err) {
      throw new NotFoundError(`blob ${digest} is not in the store`, { cause: err });
    }
  }

  /** A stream of a stored blob, optionally from byte `start`. */
  async open(digest: string, start = 0): Promise<Readable> {
    if (!(await this.has(digest))) throw new NotFoundError(`blob ${digest} is not in the store`);
    return fs.createReadStream(this.path(digest), { start, highWaterMark: 1 << 20 });
  }

  /** Every stored digest. */
  async list(): Promise<string[]> {
    const names = await fs.promises.readdir(this.blobDir).catch(() => [] as string[]);
    return names.filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}`);
  }

  async delete(digest: string): Promise<void> {
    await fs.promises.rm(this.path(digest), { force: true });
  }

  /** Writes bytes (verified against `expected` when given). */
  async put(bytes: Buffer, expected: ExpectedBlob = {}, options: PutOptions = {}): Promise<BlobInfo> {
    return (await this.ingest(bytes, expected, options)).info;
  }

  /** Writes a stream from the start (no resume), verified against `expected` when given. */
  async putStream(source: Readable | AsyncIterable<Buffer>, expected: ExpectedBlob = {}, options: PutOptions = {}): Promise<BlobInfo> {
    return (await this.ingest(source, expected, options)).info;
  }

  /**
   * put/putStream, also saying whether this call stored the blob: `stored` is false when it was
   * there already or another writer stored it while this one waited — a caller that undoes its
   * work on failure (a pull) must not delete a blob it did not add.
   */
  async ingest(source: Buffer | Readable | AsyncIterable<Buffer>, expected: ExpectedBlob = {}, options: PutOptions = {}): Promise<PutResult> {
    const unused = () => { if (source instanceof Readable) source.destroy(); };
    const present = expected.digest ? await this.size(expected.digest) : undefined;
    if (present !== undefined) {
      // Already stored: the caller's stream is simply not needed.
      unused();
      return { info: { digest: expected.digest!, size: present }, stored: false };
    }
    const w = await this.writer(expected, { resume: false, waitMs: options.waitMs });
    if (w.complete) {
      unused();
      return { info: await w.commit(), stored: false };
    }
    try {
      await pipeline(Buffer.isBuffer(source) ? Readable.from([source]) : source, w.stream());
      return { info: await w.commit(), stored: true };
    } catch (err) {
      await w.abort();
      throw err;
    }
  }

  /**
   * Opens an ingest. With `expected.digest` and `resume` (default), an existing partial of that
   * digest is continued: `offset` says how many bytes are already there. Throws ConflictError
   * while another live writer holds the same digest.
   */
  async writer(expected: ExpectedBlob = {}, options: { resume?: boolean; waitMs?: number } = {}): Promise<BlobWriter> {
    if (expected.digest) checkDigest(expected.digest, 'expected blob digest');
    const key = expected.digest ? hexOf(expected.digest) : `tmp-${randomBytes(12).toString('hex')}`;
    const partial = path.join(this.ingestDir, `${key}.partial`);
    const lock = path.join(this.ingestDir, `${key}.lock`);
    const deadline = Date.now() + (options.waitMs ?? 0);
    let release = await tryLock(lock);
    while (!release && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      release = await tryLock(lock);
    }
    if (!release) throw new ConflictError(`blob ${expected.digest} is being written by another writer`);
    try {
      // Someone else finished it while we waited (two pulls sharing a layer): nothing to write.
      const existing = expected.digest ? await this.size(expected.digest) : undefined;
      if (existing !== undefined) {
        await release();
        return new BlobWriter(this, undefined, partial, createHash('sha256'), existing, { ...expected, size: existing }, async () => undefined);
      }
      const hash = createHash('sha256');
      let offset = 0;
      if (expected.digest && options.resume !== false) {
        const st = await fs.promises.stat(partial).catch(() => undefined);
        if (st && (expected.size === undefined || st.size <= expected.size)) {
          // Node cannot serialise a hash state, so the partial is re-read to continue it.
          for await (const chunk of fs.createReadStream(partial, { end: st.size - 1, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
          offset = st.size;
        }
      }
      const fh = await fs.promises.open(partial, offset > 0 ? 'r+' : 'w', 0o644);
      if (offset === 0) await fh.truncate(0);
      return new BlobWriter(this, fh, partial, hash, offset, expected, release);
    } catch (err) {
      await release();
      throw err;
    }
  }

  /** Start-up sweep: stale ingest locks, and partials nobody can resume (no digest in their name). */
  async sweep(): Promise<void> {
    for (const name of await fs.promises.readdir(this.ingestDir).catch(() => [] as string[])) {
      const p = path.join(this.ingestDir, name);
      if (name.endsWith('.lock')) await breakStaleLock(p);
      else if (name.startsWith('tmp-') && !(await fs.promises.stat(p.replace(/\.partial$/, '.lock')).catch(() => undefined))) await fs.promises.rm(p, { force: true });
    }
    for (const name of await fs.promises.readdir(this.blobDir).catch(() => [] as string[])) {
      if (!/^[a-f0-9]{64}$/.test(name)) await fs.promises.rm(path.join(this.blobDir, name), { force: true, recursive: true });
    }
  }

  /** Moves a verified partial into place. */
  async install(partial: string, digest: string): Promise<void> {
    const target = this.path(digest);
    if (await this.has(digest)) {
      await fs.promises.rm(partial, { force: true });
      return;
    }
    await fs.promises.rename(partial, target);
    // fsync the directory so the rename itself survives a power cut.
    const dir = await fs.promises.open(this.blobDir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

/** One blob being written. Use write()/stream(), then commit(), abort() or close(). */
export class BlobWriter {
  private done = false;
  private written: number;

  constructor(
    private readonly store: BlobStore,
    /** undefined when the blob was already stored: the writer is `complete`. */
    private readonly fh: fs.promises.FileHandle | undefined,
    private readonly partial: string,
    private readonly hash: Hash,
    /** Bytes already present when this writer opened (resume from here). */
    readonly offset: number,
    private readonly expected: ExpectedBlob,
    private readonly release: Release,
  ) {
    this.written = offset;
  }

  /** True when the blob is already in the store: skip the download, commit() just returns it. */
  get complete(): boolean {
    return this.fh === undefined;
  }

  /** Bytes in the partial so far. */
  get size(): number {
    return this.written;
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.done || !this.fh) throw new InvalidArgumentError(`blob writer ${this.expected.digest ?? ''} is already closed or complete`);
    if (this.expected.size !== undefined && this.written + chunk.length > this.expected.size) {
      await this.abort();
      throw new DigestMismatchError(`blob ${this.expected.digest ?? ''} is larger than expected`.trim(), `${this.expected.size} bytes`, `at least ${this.written + chunk.length} bytes`);
    }
    let pos = 0;
    while (pos < chunk.length) {
      const { bytesWritten } = await this.fh.write(chunk, pos, chunk.length - pos, this.written + pos);
      pos += bytesWritten;
    }
    this.hash.update(chunk);
    this.written += chunk.length;
  }

  /** A Writable into this blob, for stream.pipeline; it does not commit. */
  stream(): Writable {
    return new Writable({
      highWaterMark: 1 << 20,
      write: (chunk: Buffer, _enc, cb) => { this.write(chunk).then(() => cb(), cb); },
    });
  }

  /** Verifies and installs the blob. On mismatch the partial is deleted and the error names both digests. */
  async commit(): Promise<BlobInfo> {
    if (this.done) throw new InvalidArgumentError('blob writer is already closed');
    if (!this.fh) {
      this.done = true;
      return { digest: this.expected.digest!, size: this.written };
    }
    const digest = `sha256:${this.hash.digest('hex')}`;
    const what = `blob ${this.expected.digest ?? digest}`;
    try {
      if (this.expected.size !== undefined && this.written !== this.expected.size) {
        throw new DigestMismatchError(`${what} has the wrong size`, `${this.expected.size} bytes`, `${this.written} bytes`);
      }
      if (this.expected.digest && this.expected.digest !== digest) throw new DigestMismatchError(`${what} failed verification`, this.expected.digest, digest);
      await this.fh.sync();
      await this.finish(false);
      await this.store.install(this.partial, digest);
      return { digest, size: this.written };
    } catch (err) {
      await this.abort();
      throw err;
    } finally {
      await this.release();
    }
  }

  /** Stops and deletes the partial. */
  async abort(): Promise<void> {
    await this.finish(true);
    await this.release();
  }

  /** Stops but keeps the partial so a later writer can resume (only useful with a known digest). */
  async close(): Promise<void> {
    await this.finish(!this.expected.digest);
    await this.release();
  }

  private async finish(remove: boolean): Promise<void> {
    if (!this.fh) {
      this.done = true;
      return; // complete writers own no partial
    }
    if (!this.done) {
      this.done = true;
      await this.fh.close().catch(() => undefined);
    }
    if (remove) await fs.promises.rm(this.partial, { force: true });
  }
}
