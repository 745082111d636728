// `pull`: reference → manifest (an index resolved to one platform) → config and layers
// streamed into the store, each verified as it arrives → the image recorded under its name.
//
//   resolve   GET manifest (tag or digest); an index → pick the platform → GET that manifest
//   fetch     config, then layers (3 at a time); a blob already stored is "Already exists";
//             a download cut short resumes with Range from the partial in ingest/; a digest
//             mismatch deletes the partial and fails naming the digest
//   unpack    (option) layers unpacked for overlay, diffIDs verified
//   record    manifest blob written, name pointed at it (store.addManifest)
//
// On any failure the blobs this pull added are removed and partials aborted, so the store is
// as it was before.
import { DigestMismatchError, type BlobWriter } from '../image/blobs';
import { familiarName, familiarRepository, formatReference, repositoryName, type Reference } from '../image/reference';
import type { ImageStore } from '../image/store';
import { INDEX_TYPES, MANIFEST_TYPES, MediaType, hostPlatform, parseConfig, parseIndex, parseManifest, type Descriptor, type Manifest, type Platform } from '../image/types';
import { InvalidArgumentError, NotFoundError, SlipwayError } from '../errors';
import type { RepositoryClient, FetchedManifest } from './client';
import { formatPlatform, platformRank, selectManifest } from './platform';
import { runBounded } from './pool';
import type { ProgressListener } from './progress';
import { shortId } from './progress';
import { backoffDelay, isRetryableError } from './retry';
import type { RegistrySession } from './session';
import { BlobSources } from './sources';

export const LAYER_TYPES: readonly string[] = [MediaType.ociLayer, MediaType.ociLayerGzip, MediaType.ociLayerZstd, MediaType.dockerLayerGzip];

export interface PullOptions {
  session: RegistrySession;
  /** Default: the host's. */
  platform?: Platform;
  onProgress?: ProgressListener;
  /** Layers downloaded at once (Docker: 3). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Tries per blob download, resuming where the last one stopped. */
  blobAttempts?: number;
  /** Unpack the layers for overlay before recording the image (Docker's "Extracting"). */
  unpack?: boolean;
}

export interface PullResult {
  /** The name recorded, "localhost:5000/x:1" in full form; undefined for a pull by digest. */
  name?: string;
  manifestDigest: string;
  /** The index the manifest was chosen from, if any. */
  indexDigest?: string;
  /** Image ID (config digest). */
  id: string;
  /** True when nothing was new. */
  upToDate: boolean;
}

/** Picks the manifest to pull: `top` itself or, for an index, the entry for `platform`. */
export async function resolveManifest(client: RepositoryClient, top: FetchedManifest, platform: Platform, what: string, signal?: AbortSignal): Promise<{ manifest: FetchedManifest; index?: FetchedManifest }> {
  if (INDEX_TYPES.includes(top.mediaType)) {
    const index = parseIndex(top.bytes, `manifest list of ${what}`);
    const chosen = selectManifest(index.manifests, platform, what);
    const manifest = await client.manifest(chosen.digest, signal);
    if (!MANIFEST_TYPES.includes(manifest.mediaType)) throw new InvalidArgumentError(`manifest ${chosen.digest} of ${what} has unsupported media type ${manifest.mediaType}`);
    return { manifest, index: top };
  }
  if (MANIFEST_TYPES.includes(top.mediaType)) return { manifest: top };
  throw new InvalidArgumentError(`manifest of ${what} has unsupported media type ${top.mediaType} (supported: ${[...INDEX_TYPES, ...MANIFEST_TYPES].join(', ')})`);
}

export async function pullImage(store: ImageStore, ref: Reference, options: PullOptions): Promise<PullResult> {
  const emit = options.onProgress ?? (() => undefined);
  const what = familiarName(ref);
  const platform = options.platform ?? hostPlatform();
  const client = options.session.puller(ref);
  emit({ id: ref.digest ?? ref.tag, status: `Pulling from ${familiarRepository(ref)}` });

  const top = await client.manifest(ref.digest ?? ref.tag ?? 'latest', options.signal);
  const { manifest: fetched, index } = await resolveManifest(client, top, platform, what, options.signal);
  const manifest = parseManifest(fetched.bytes, `manifest of ${what}`);
  for (const l of manifest.layers) {
    if (!LAYER_TYPES.includes(l.mediaType)) throw new InvalidArgumentError(`layer ${l.digest} of ${what} has unsupported media type ${l.mediaType}`);
  }
  const name = ref.tag && !ref.digest ? formatReference({ domain: ref.domain, path: ref.path, tag: ref.tag }) : undefined;
  const added: string[] = [];
  const unpacked: string[] = [];
  const sources = new BlobSources(store.root);
  let upToDate = true;
  try {
    // The config first: small, and it tells whether the platform is right.
    if (!(await store.blobs.has(manifest.config.digest))) {
      if (await download(store, client, manifest.config, { signal: options.signal, attempts: options.blobAttempts })) added.push(manifest.config.digest);
      upToDate = false;
    }
    const config = parseConfig(await store.blobs.read(manifest.config.digest), `config of ${what}`);
    if (options.platform && !index && config.os && config.architecture && platformRank(platform, { os: config.os, architecture: config.architecture, variant: config.variant }) === undefined) {
      throw new NotFoundError(`image ${what} was found but is for ${formatPlatform({ os: config.os, architecture: config.architecture, variant: config.variant })}, not the requested ${formatPlatform(platform)}`);
    }
    if (config.rootfs.diff_ids.length !== manifest.layers.length) {
      throw new InvalidArgumentError(`config of ${what} lists ${config.rootfs.diff_ids.length} layers but its manifest has ${manifest.layers.length}`);
    }

    const pending: Descriptor[] = [];
    for (const l of manifest.layers) {
      if (await store.blobs.has(l.digest)) emit({ id: shortId(l.digest), status: 'Already exists' });
      else if (!pending.some((p) => p.digest === l.digest)) {
        pending.push(l);
        emit({ id: shortId(l.digest), status: 'Pulling fs layer' });
      }
    }
    for (const l of pending.slice(options.concurrency ?? 3)) emit({ id: shortId(l.digest), status: 'Waiting' });
    if (pending.length) upToDate = false;
    await runBounded(pending, options.concurrency ?? 3, async (l, _i, signal) => {
      const id = shortId(l.digest);
      const wrote = await download(store, client, l, { signal, attempts: options.blobAttempts, onBytes: (current) => emit({ id, status: 'Downloading', current, total: l.size }), onVerify: () => emit({ id, status: 'Verifying Checksum' }) });
      if (wrote) added.push(l.digest);
      emit({ id, status: 'Download complete' });
    }, options.signal);
    if (options.unpack) {
      // Unpacked now rather than at the first `run`, as Docker's "Extracting" step does.
      const present = new Set(await store.layers.unpacked());
      for (const [i, l] of manifest.layers.entries()) {
        const diffID = config.rootfs.diff_ids[i];
        if (present.has(diffID)) continue;
        emit({ id: shortId(l.digest), status: 'Extracting' });
        unpacked.push(diffID);
        present.add(diffID);
        await store.layers.unpack(l, diffID);
      }
    }
    for (const l of pending) emit({ id: shortId(l.digest), status: 'Pull complete' });

    const manifestBlob = await store.blobs.ingest(fetched.bytes, { digest: fetched.digest, size: fetched.bytes.length }, { waitMs: WAIT_FOR_OTHER_WRITER_MS });
    if (manifestBlob.stored) added.push(fetched.digest);
    if (name) {
      const current = await store.get(name).catch(() => undefined);
      if (current?.manifestDigest !== fetched.digest) upToDate = false;
    }
    await store.addManifest({ mediaType: fetched.mediaType, digest: fetched.digest, size: fetched.bytes.length }, name ? [name] : []);
  } catch (err) {
    for (const diffID of unpacked) await store.layers.removeUnpacked(diffID).catch(() => undefined);
    for (const digest of added) await store.blobs.delete(digest).catch(() => undefined);
    throw err;
  }
  for (const l of manifest.layers) await sources.add(l.digest, repositoryName(ref)).catch(() => undefined);
  emit({ status: `Digest: ${index?.digest ?? fetched.digest}` });
  emit({ status: upToDate ? `Status: Image is up to date for ${what}` : `Status: Downloaded newer image for ${what}` });
  return { name, manifestDigest: fetched.digest, indexDigest: index?.digest, id: manifest.config.digest, upToDate };
}

interface DownloadOptions {
  signal?: AbortSignal;
  attempts?: number;
  onBytes?: (current: number) => void;
  onVerify?: () => void;
}

/**
 * Streams one blob into the store. A connection cut or a short body keeps the partial and
 * the next try asks for the rest with Range (starting over if the registry ignores it);
 * wrong bytes abort at once. Resolves to false when another writer stored the blob meanwhile.
 */
export async function download(store: ImageStore, client: RepositoryClient, desc: Descriptor, options: DownloadOptions = {}): Promise<boolean> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    // Another pull writing the same layer is waited for; it may hand the blob over complete.
    let writer: BlobWriter | undefined = await store.blobs.writer({ digest: desc.digest, size: desc.size }, { waitMs: WAIT_FOR_OTHER_WRITER_MS });
    if (writer.complete) {
      await writer.commit();
      return false;
    }
    try {
      const { res, partial } = await client.blob(desc.digest, writer.offset, options.signal);
      if (writer.offset > 0 && !partial) {
        // The registry sent the whole blob: drop the partial and start from byte 0.
        await writer.abort();
        writer = await store.blobs.writer({ digest: desc.digest, size: desc.size }, { resume: false });
      }
      let last = 0;
      if (!res.body) throw new SlipwayError(`blob ${desc.digest}: the registry sent no body`);
      // The body arrives in 16–64 KiB pieces: writing them in 1 MiB batches saves most of the
      // write calls (a cut connection loses only the unwritten batch, which the resume refetches).
      let batch: Buffer[] = [];
      let batched = 0;
      const flush = async () => {
        if (batched === 0) return;
        const data = batch.length === 1 ? batch[0] : Buffer.concat(batch, batched);
        batch = [];
        batched = 0;
        await writer!.write(data);
      };
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          batch.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          batched += chunk.byteLength;
          if (batched < WRITE_BATCH) continue;
          await flush();
          const now = Date.now();
          if (now - last >= 100) {
            last = now;
            options.onBytes?.(writer.size);
          }
        }
      } catch (err) {
        // Bytes that did arrive before a cut are kept for the resume.
        if (!(err instanceof DigestMismatchError)) await flush().catch(() => undefined);
        throw err;
      }
      await flush();
      if (writer.size < desc.size) throw new TruncatedError(desc.digest, writer.size, desc.size);
      options.onBytes?.(writer.size);
      options.onVerify?.();
      const w = writer;
      writer = undefined;
      await w.commit();
      return true;
    } catch (err) {
      if (err instanceof DigestMismatchError) {
        await writer?.abort();
        throw new InvalidArgumentError(`digest mismatch for blob ${desc.digest} from ${client.domain}: ${err.message}`, { cause: err });
      }
      const retry = (err instanceof TruncatedError || isRetryableError(err)) && attempt < attempts && !options.signal?.aborted;
      if (retry) {
        await writer?.close();
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, { attempts, baseMs: 100, maxMs: 2000 })));
        continue;
      }
      await writer?.abort();
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw new SlipwayError(`no space left in the image store ${store.root} while writing blob ${desc.digest} (${desc.size} bytes)`, { cause: err });
      if (err instanceof TruncatedError) throw new SlipwayError(`blob ${desc.digest} from ${client.domain}: download failed after ${attempts} tries: ${err.message}`);
      throw err;
    }
  }
}

const WRITE_BATCH = 1 << 20;
const WAIT_FOR_OTHER_WRITER_MS = 10 * 60_000;

class TruncatedError extends Error {
  constructor(digest: string, got: number, want: number) {
    super(`blob ${digest} ended after ${got} of ${want} bytes`);
  }
}

export type { Manifest };
