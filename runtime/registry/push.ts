// `push`: the stored image's exact manifest bytes (so its digest is unchanged), preceded by
// every blob the registry lacks.
//
//   per layer (3 at a time), then the config:
//     HEAD blob                     → "Layer already exists"
//     POST ?mount=…&from=…  (201)   → "Mounted from <repo>" (a blob we know lives in another
//                                     repository of the same registry)
//     POST (202) then PUT ?digest=  → monolithic, for blobs up to `chunkSize`
//     POST, PATCH × n, PUT ?digest= → chunked, for larger blobs (bounded memory)
//   PUT manifest under the tag      → "<tag>: digest: sha256:… size: N"
import fs from 'node:fs';
import { formatReference, repositoryName, type Reference } from '../image/reference';
import type { ImageStore } from '../image/store';
import { MediaType, type Descriptor } from '../image/types';
import { InvalidArgumentError } from '../errors';
import type { RepositoryClient } from './client';
import { runBounded } from './pool';
import { shortId, type ProgressListener } from './progress';
import { withRetry } from './retry';
import type { RegistrySession } from './session';
import { BlobSources } from './sources';

export interface PushOptions {
  session: RegistrySession;
  onProgress?: ProgressListener;
  concurrency?: number;
  /** Blobs larger than this are sent in PATCH chunks of this size (default 16 MiB). */
  chunkSize?: number;
  signal?: AbortSignal;
}

export interface PushResult {
  name: string;
  manifestDigest: string;
  size: number;
  /** What happened to each blob, by digest. */
  blobs: Record<string, 'exists' | 'mounted' | 'uploaded'>;
}

const DEFAULT_CHUNK = 16 << 20;

export async function pushImage(store: ImageStore, ref: Reference, options: PushOptions): Promise<PushResult> {
  if (!ref.tag && !ref.digest) throw new InvalidArgumentError(`push of ${formatReference(ref)} needs a tag`);
  const emit = options.onProgress ?? (() => undefined);
  const name = formatReference({ domain: ref.domain, path: ref.path, tag: ref.tag });
  const image = await store.get(ref.digest ? formatReference(ref) : name);
  const manifestBytes = await store.blobs.read(image.manifestDigest);
  const mediaType = image.manifest.mediaType ?? MediaType.ociManifest;
  const sources = new BlobSources(store.root);
  const layers = image.manifest.layers.filter((l, i, all) => all.findIndex((o) => o.digest === l.digest) === i);
  const blobs = [...layers, image.manifest.config];
  const mountFrom = new Map<string, string>();
  for (const b of blobs) {
    const from = await sources.mountCandidate(b.digest, ref.domain, ref.path);
    if (from) mountFrom.set(b.digest, from);
  }
  const client = options.session.pusher(ref, [...new Set(mountFrom.values())]);
  emit({ status: `The push refers to repository [${repositoryName(ref)}]` });
  for (const l of layers) emit({ id: shortId(l.digest), status: 'Preparing' });
  for (const l of layers.slice(options.concurrency ?? 3)) emit({ id: shortId(l.digest), status: 'Waiting' });

  const outcome: PushResult['blobs'] = {};
  const pushOne = async (desc: Descriptor, signal: AbortSignal, quiet: boolean) => {
    const id = shortId(desc.digest);
    const say = (status: string, current?: number) => { if (!quiet) emit({ id, status, ...(current !== undefined ? { current, total: desc.size } : {}) }); };
    if ((await client.blobSize(desc.digest, signal)) !== undefined) {
      outcome[desc.digest] = 'exists';
      say('Layer already exists');
    } else {
      const from = mountFrom.get(desc.digest);
      const result = await uploadBlob(store, client, desc, { chunkSize: options.chunkSize ?? DEFAULT_CHUNK, mountFrom: from, signal, onBytes: (n) => say('Pushing', n) });
      outcome[desc.digest] = result;
      say(result === 'mounted' ? `Mounted from ${from}` : 'Pushed');
    }
    await sources.add(desc.digest, repositoryName(ref)).catch(() => undefined);
  };
  await runBounded(layers, options.concurrency ?? 3, (l, _i, signal) => pushOne(l, signal, false), options.signal);
  await runBounded([image.manifest.config], 1, (c, _i, signal) => pushOne(c, signal, true), options.signal);

  const reference = ref.tag ?? image.manifestDigest;
  await client.putManifest(reference, mediaType, manifestBytes, options.signal);
  emit({ status: `${ref.tag ?? 'latest'}: digest: ${image.manifestDigest} size: ${manifestBytes.length}` });
  return { name, manifestDigest: image.manifestDigest, size: manifestBytes.length, blobs: outcome };
}

interface UploadOptions {
  chunkSize: number;
  mountFrom?: string;
  signal?: AbortSignal;
  onBytes?: (sent: number) => void;
}

/**
 * Uploads one stored blob. A failed upload session is started over as a whole (the
 * registry's partial upload is abandoned; it expires on its own).
 */
export async function uploadBlob(store: ImageStore, client: RepositoryClient, desc: Descriptor, options: UploadOptions): Promise<'mounted' | 'uploaded'> {
  return withRetry(async () => {
    const start = await client.startUpload(desc.digest, options.mountFrom, options.signal);
    if (start.mounted) return 'mounted';
    const file = store.blobs.path(desc.digest);
    if (desc.size <= options.chunkSize) {
      const bytes = await fs.promises.readFile(file);
      await client.finishUpload(start.location, desc.digest, bytes, options.signal);
      options.onBytes?.(bytes.length);
      return 'uploaded';
    }
    let location = start.location;
    const fh = await fs.promises.open(file, 'r');
    try {
      const buf = Buffer.alloc(options.chunkSize);
      for (let offset = 0; offset < desc.size;) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(options.chunkSize, desc.size - offset), offset);
        if (bytesRead === 0) throw new InvalidArgumentError(`blob ${desc.digest} in the store is shorter than its descriptor says (${offset} of ${desc.size} bytes)`);
        // A copy: the registry client may still hold the previous chunk when retrying.
        location = await client.patchChunk(location, Buffer.from(buf.subarray(0, bytesRead)), offset, desc.digest, options.signal);
        offset += bytesRead;
        options.onBytes?.(offset);
      }
    } finally {
      await fh.close();
    }
    await client.finishUpload(location, desc.digest, undefined, options.signal);
    return 'uploaded';
  }, { policy: { attempts: 3, baseMs: 200, maxMs: 2000 }, signal: options.signal });
}
