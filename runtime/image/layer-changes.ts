// Per-layer change lists of an image: the data behind the editor's per-layer preview,
// `/slipway/images/{id}/layers` and `slipway layers IMAGE`.
//
// Layers built or committed here carry their change list in their record (computed from the
// upper dir, see layer/diff.ts). Layers that came from elsewhere (import, load, pull) get one
// computed once from the tars themselves, bottom-up: a path seen in a lower layer is
// "modified", a new one "added", a whiteout "deleted"; the result is cached in the record.
//
// A layer built here also records the instruction that made it (`source`: the Dockerfile, its
// line range, the step), written by the executor at every build that yields the layer, hit or
// miss. Records are per diffID, so a layer two builds share shows the latest build's line.
// Records written before this field existed simply have none.
import type { Change } from '../layer/diff';
import { readTar } from '../layer/tar-reader';
import { cleanEntryPath } from '../layer/extract';
import { classifyWhiteout } from '../layer/whiteout';
import type { ImageRecord, ImageStore } from './store';
import { layerSourceOf, type DockerfileSource } from './layer-source';

export { formatLayerSource, layerSourceOf, type DockerfileSource } from './layer-source';

export interface LayerChanges {
  diffID: string;
  digest: string;
  /** Compressed size. */
  size: number;
  uncompressedSize?: number;
  /** The history entry that made this layer ("RUN …", "COPY …"). */
  createdBy?: string;
  comment?: string;
  created?: string;
  /** The Dockerfile instruction that made the layer, when it was built here. */
  source?: DockerfileSource;
  changes: Change[];
}

type Seen = Map<string, Omit<Change, 'kind' | 'path'>>;

async function changesFromTar(store: ImageStore, image: ImageRecord, i: number, seen: Seen): Promise<{ changes: Change[]; uncompressedSize: number }> {
  const changes: Change[] = [];
  const addedHere = new Set<string>();
  const { tar, verify, tap } = await store.layers.openTar(image.manifest.layers[i], image.config.rootfs.diff_ids[i]);
  const drop = (target: string) => {
    for (const [p, info] of [...seen]) {
      if ((p === target || p.startsWith(`${target}/`)) && !addedHere.has(p)) {
        seen.delete(p);
        changes.push({ kind: 'deleted', path: `/${p}`, ...info });
      }
    }
  };
  for await (const { entry, rawPath } of readTar(tar)) {
    const rel = cleanEntryPath(rawPath).join('/');
    if (!rel) continue;
    const wh = classifyWhiteout(rel);
    if (wh.kind === 'whiteout') {
      drop(wh.target);
      continue;
    }
    if (wh.kind === 'opaque') {
      // Everything lower layers had inside the directory is hidden.
      for (const p of [...seen.keys()]) if (p.startsWith(`${wh.dir}/`)) drop(p);
      continue;
    }
    const info = { type: entry.type, size: entry.size, mode: entry.mode, uid: entry.uid, gid: entry.gid };
    changes.push({ kind: seen.has(rel) ? 'modified' : 'added', path: `/${rel}`, ...info });
    seen.set(rel, info);
    addedHere.add(rel);
  }
  verify();
  return { changes, uncompressedSize: tap.bytes };
}

/** The layers of an image, bottom first, each with its history entry and change list. */
export async function imageLayerChanges(store: ImageStore, nameOrId: string): Promise<LayerChanges[]> {
  const image = await store.get(nameOrId);
  const diffIDs = image.config.rootfs.diff_ids;
  const history = (image.config.history ?? []).filter((h) => !h.empty_layer);
  const records = await Promise.all(diffIDs.map((d) => store.layers.record(d)));
  const known = records.every((r) => r?.changes);
  const seen: Seen = new Map();
  const out: LayerChanges[] = [];
  for (const [i, layer] of image.manifest.layers.entries()) {
    let rec = records[i];
    let changes = rec?.changes;
    if (!known) {
      // Lower layers are replayed even when this one is known, to classify the upper ones.
      const computed = await changesFromTar(store, image, i, seen);
      if (!changes) {
        changes = computed.changes;
        rec = { diffID: diffIDs[i], digest: layer.digest, mediaType: layer.mediaType, size: layer.size, uncompressedSize: computed.uncompressedSize, changes };
        await store.layers.putRecord(rec);
      }
    }
    const h = history[i];
    const source = layerSourceOf(rec?.source);
    out.push({
      diffID: diffIDs[i],
      digest: layer.digest,
      size: layer.size,
      ...(rec?.uncompressedSize ? { uncompressedSize: rec.uncompressedSize } : {}),
      ...(h?.created_by ? { createdBy: h.created_by } : {}),
      ...(h?.comment ? { comment: h.comment } : {}),
      ...(h?.created ? { created: h.created } : {}),
      ...(source ? { source } : {}),
      changes: changes ?? [],
    });
  }
  return out;
}
