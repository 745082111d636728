// ADD <url>: downloads, streamed to a file and hashed on the way.
//
// Without --checksum the file is fetched before the step's cache key is made and the key holds
// its sha256, as both of Docker's builders do: a changed remote file rebuilds the step (the
// miss says "ADD: <url> changed"), an unchanged one is a hit. With --checksum the key holds the
// expected digest, so a hit downloads nothing and a miss verifies what it downloads.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { InvalidArgumentError, SlipwayError } from '../../errors';
import type { FileRecord } from '../cache-key';
import type { CopyPlan } from '../plan';
import { redactUrl } from '../plan/git-ref';

export interface Download {
  url: string;
  /** Where the body was written. */
  file: string;
  /** "sha256:<hex>" of the body. */
  digest: string;
  /** The Last-Modified header, when the server sent one. */
  lastModified?: string;
}

export interface DownloadOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** An expected "<algorithm>:<hex>" digest (ADD --checksum), checked before returning. */
  checksum?: string;
}

/** Fetches `url` into `file` (created), hashing the body; a failed or mismatched download leaves no file. */
export async function fetchToFile(url: string, file: string, options: DownloadOptions = {}): Promise<Download> {
  const shown = redactUrl(url);
  const res = await (options.fetch ?? fetch)(url, options.signal ? { signal: options.signal } : {}).catch((err: unknown) => {
    throw new SlipwayError(`ADD cannot download ${shown}`, { cause: err });
  });
  if (!res.ok) throw new SlipwayError(`ADD cannot download ${shown}: HTTP ${res.status}`);
  const sha256 = createHash('sha256');
  const [algorithm, want] = (options.checksum?.split(':') ?? []) as [string?, string?];
  const checked = algorithm && algorithm !== 'sha256' ? createHash(algorithm) : undefined;
  const hash = new Transform({
    transform(chunk: Buffer, _enc, done) { sha256.update(chunk); checked?.update(chunk); done(null, chunk); },
  });
  try {
    const body = res.body ? Readable.fromWeb(res.body as WebReadableStream<Uint8Array>) : Readable.from([]);
    await pipeline(body, hash, fs.createWriteStream(file, { mode: 0o600 }));
    const digest = `sha256:${sha256.digest('hex')}`;
    if (options.checksum !== undefined) {
      // "sha256:<hex>" (sha384, sha512 too), checked by the plan; BuildKit's message.
      const got = checked ? `${algorithm}:${checked.digest('hex')}` : digest;
      if (got !== `${algorithm}:${want}`) throw new InvalidArgumentError(`digest mismatch for ${shown}: ${got} (expected: ${options.checksum})`);
    }
    const lastModified = res.headers.get('last-modified') ?? undefined;
    return { url, file, digest, ...(lastModified ? { lastModified } : {}) };
  } catch (err) {
    fs.rmSync(file, { force: true });
    if (err instanceof SlipwayError) throw err;
    throw new SlipwayError(`ADD cannot download ${shown}`, { cause: err });
  }
}

/**
 * Downloads the URL sources of an ADD without --checksum into `dir()` (called once, when there
 * is something to download), for the cache key; undefined entries for the other sources.
 */
export async function downloadUrlSources(copy: CopyPlan, dir: () => string, options: DownloadOptions = {}): Promise<Array<Download | undefined> | undefined> {
  if (copy.checksum !== undefined || !copy.sources.some((s) => s.kind === 'url')) return undefined;
  const into = dir();
  const out: Array<Download | undefined> = [];
  for (const [i, src] of copy.sources.entries()) {
    out.push(src.kind === 'url' ? await fetchToFile(src.url, `${into}/url-${i}`, { ...options, checksum: undefined }) : undefined);
  }
  return out;
}

/** The cache records with each downloaded URL's content digest on its record. */
export function withDownloadDigests(records: FileRecord[], downloads: Array<Download | undefined>): FileRecord[] {
  const byUrl = new Map(downloads.filter((d): d is Download => d !== undefined).map((d) => [d.url, d]));
  return records.map((r) => {
    const d = r.type === 'other' ? byUrl.get(r.path) : undefined;
    return d ? { ...r, digest: d.digest } : r;
  });
}
