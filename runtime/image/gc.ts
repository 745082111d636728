// Garbage collection, `image prune` and `system df` over an ImageStore.
//
// Mark: everything reachable from index.json (manifests, nested indexes, configs, layers, and
// the diffIDs of those configs). Sweep: unreachable blobs, unpacked layers and layer records.
// A blob written in the last `graceMs` is spared even when unreachable: a pull or build in
// another process writes its blobs before it adds the manifest to index.json, and must not
// lose them in between (containerd solves the same race with leases).
import fs from 'node:fs';
import path from 'node:path';
import { duBytes } from './layers';
import type { ImageRecord, ImageStore, RemoveReport } from './store';
import { INDEX_TYPES, MANIFEST_TYPES, parseConfig, parseIndex, parseManifest, type HistoryEntry } from './types';

export interface GcResult {
  blobsDeleted: string[];
  layersDeleted: string[];
  spaceReclaimed: number;
}

export interface GcOptions {
  /** Spare unreachable blobs younger than this (default 60 s). */
  graceMs?: number;
}

async function reachable(store: ImageStore): Promise<{ blobs: Set<string>; diffIDs: Set<string> }> {
  const blobs = new Set<string>();
  const diffIDs = new Set<string>();
  const visit = async (digest: string, mediaType: string | undefined): Promise<void> => {
    if (blobs.has(digest)) return;
    blobs.add(digest);
    if (!(await store.blobs.has(digest))) return;
    const bytes = await store.blobs.read(digest);
    const type = mediaType ?? (JSON.parse(bytes.toString()) as { mediaType?: string }).mediaType;
    if (type && INDEX_TYPES.includes(type)) {
      for (const d of parseIndex(bytes, `index ${digest}`).manifests) await visit(d.digest, d.mediaType);
    } else if (!type || MANIFEST_TYPES.includes(type)) {
      const m = parseManifest(bytes, `manifest ${digest}`);
      blobs.add(m.config.digest);
      for (const l of m.layers) blobs.add(l.digest);
      if (await store.blobs.has(m.config.digest)) {
        for (const id of parseConfig(await store.blobs.read(m.config.digest), `config ${m.config.digest}`).rootfs.diff_ids) diffIDs.add(id);
      }
    }
  };
  for (const d of (await store.readIndex()).manifests) await visit(d.digest, d.mediaType);
  return { blobs, diffIDs };
}

/** Deletes what nothing references. Runs under the store lock so no index change races it. */
export async function collectGarbage(store: ImageStore, options: GcOptions = {}): Promise<GcResult> {
  const grace = options.graceMs ?? 60_000;
  const result: GcResult = { blobsDeleted: [], layersDeleted: [], spaceReclaimed: 0 };
  await store.updateIndex(async () => {
    const live = await reachable(store);
    const now = Date.now();
    for (const digest of await store.blobs.list()) {
      if (live.blobs.has(digest)) continue;
      const st = await fs.promises.stat(store.blobs.path(digest)).catch(() => undefined);
      if (!st || now - st.mtimeMs < grace) continue;
      await store.blobs.delete(digest);
      result.blobsDeleted.push(digest);
      result.spaceReclaimed += st.size;
    }
    for (const diffID of await store.layers.unpacked()) {
      if (live.diffIDs.has(diffID)) continue;
      result.spaceReclaimed += await store.layers.removeUnpacked(diffID);
      result.layersDeleted.push(diffID);
    }
    for (const diffID of await store.layers.recorded()) {
      const rec = await store.layers.record(diffID);
      // A record is kept while its blob is: a build may reuse a layer before tagging it.
      if (!live.diffIDs.has(diffID) && !(rec && (await store.blobs.has(rec.digest)))) await store.layers.removeUnpacked(diffID, { record: true });
    }
  });
  return result;
}

export interface PruneOptions extends GcOptions {
  /** Remove every image no container uses, not only dangling ones (`image prune -a`). */
  all?: boolean;
  inUse?: (id: string) => boolean | Promise<boolean>;
}

/** `docker image prune`: removes dangling (or, with `all`, unused) images, then collects garbage. */
export async function pruneImages(store: ImageStore, options: PruneOptions = {}): Promise<{ ImagesDeleted: RemoveReport[]; SpaceReclaimed: number }> {
  const reports: RemoveReport[] = [];
  for (const image of await store.list()) {
    if (!options.all && image.names.length > 0) continue;
    if (await options.inUse?.(image.id)) continue;
    reports.push(...(await store.remove(image.id, { force: true })));
  }
  const gc = await collectGarbage(store, options);
  return { ImagesDeleted: reports, SpaceReclaimed: gc.spaceReclaimed };
}

export interface ImageUsage {
  id: string;
  names: string[];
  /** Bytes of all its blobs. */
  size: number;
  /** Bytes of its layers that other images share. */
  sharedSize: number;
  uniqueSize: number;
  containers: number;
}

export interface DiskUsage {
  images: ImageUsage[];
  /** Bytes of all blobs, each counted once. */
  totalSize: number;
  /** Bytes of unpacked layers. */
  unpackedSize: number;
  /** Bytes that `image prune -a` would free (images no container uses). */
  reclaimable: number;
}

/** `docker system df` for images. `containersOf(id)` counts containers using an image. */
export async function diskUsage(store: ImageStore, containersOf: (id: string) => number = () => 0): Promise<DiskUsage> {
  const images = await store.list();
  const users = new Map<string, number>();
  const sizes = new Map<string, number>();
  const blobsOf = (i: ImageRecord) => [i.manifestDigest, i.manifest.config.digest, ...i.manifest.layers.map((l) => l.digest)];
  for (const i of images) {
    for (const d of new Set(blobsOf(i))) users.set(d, (users.get(d) ?? 0) + 1);
    for (const l of i.manifest.layers) sizes.set(l.digest, l.size);
    sizes.set(i.manifest.config.digest, i.manifest.config.size);
    sizes.set(i.manifestDigest, (await store.blobs.size(i.manifestDigest)) ?? 0);
  }
  const usage: ImageUsage[] = images.map((i) => {
    const own = [...new Set(blobsOf(i))];
    const size = own.reduce((n, d) => n + (sizes.get(d) ?? 0), 0);
    const sharedSize = own.filter((d) => (users.get(d) ?? 0) > 1).reduce((n, d) => n + (sizes.get(d) ?? 0), 0);
    return { id: i.id, names: i.names, size, sharedSize, uniqueSize: size - sharedSize, containers: containersOf(i.id) };
  });
  const totalSize = [...sizes.values()].reduce((a, b) => a + b, 0);
  const usedBlobs = new Set(images.filter((i) => containersOf(i.id) > 0).flatMap(blobsOf));
  const reclaimable = [...sizes].filter(([d]) => !usedBlobs.has(d)).reduce((n, [, s]) => n + s, 0);
  let unpackedSize = 0;
  for (const diffID of await store.layers.unpacked()) unpackedSize += await duBytes(path.join(store.layers.layersDir, diffID.slice(7)));
  return { images: usage, totalSize, unpackedSize, reclaimable };
}

export interface HistoryItem {
  /** The layer's blob digest, or "<missing>" for empty layers, as Docker prints them. */
  id: string;
  created?: string;
  createdBy: string;
  size: number;
  comment: string;
  emptyLayer: boolean;
}

/** `docker history`: newest first, layer sizes matched to history entries that are not empty. */
export function imageHistory(image: ImageRecord): HistoryItem[] {
  const history: HistoryEntry[] = image.config.history ?? image.manifest.layers.map(() => ({}));
  const out: HistoryItem[] = [];
  let layer = 0;
  for (const h of history) {
    const empty = h.empty_layer === true;
    const desc = empty ? undefined : image.manifest.layers[layer++];
    out.push({ id: desc?.digest ?? '<missing>', created: h.created, createdBy: h.created_by ?? '', size: desc?.size ?? 0, comment: h.comment ?? '', emptyLayer: empty });
  }
  if (out.length > 0) out[out.length - 1].id = image.id; // the newest entry shows the image ID, as Docker does
  return out.reverse();
}
