// `save`: images to a Docker archive or an OCI archive, streamed as a tar.
//
// Docker archive (moby docker-image-spec v1.2, what `docker save` wrote before 25.0 and what
// every `docker load`, `podman load` and skopeo's docker-archive: read):
//   manifest.json   [{"Config":"<hex>.json","RepoTags":["busybox:latest"],"Layers":["<diffhex>/layer.tar"]}]
//   repositories    {"busybox":{"latest":"<top layer id>"}}
//   <hex>.json      the config, byte for byte (so the image ID survives the trip)
//   <diffhex>/layer.tar, VERSION, json   uncompressed layers
// OCI archive (image-spec image-layout.md, what skopeo's oci-archive: and umoci read):
//   oci-layout, index.json (ref.name = tag, io.containerd.image.name = full name), blobs/sha256/…
//   plus a manifest.json pointing at the blobs, as Docker ≥ 25 writes, so `docker load` takes it.
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TarEntry } from '../layer/tar-header';
import type { LayerItem } from '../layer/tree';
import { tarStream } from '../layer/writer';
import { familiarName, parseReference } from './reference';
import { nameAnnotations, type ImageRecord, type ImageStore } from './store';
import { MediaType, type Descriptor, type ImageIndex } from './types';

export type ArchiveFormat = 'docker' | 'oci';

interface Selected {
  image: ImageRecord;
  /** Names to record for this image: the requested name, or all of its names when asked by ID. */
  names: string[];
}

/** Resolves what `docker save a b:1 sha256:…` means: each image once, with the names asked for. */
export async function selectImages(store: ImageStore, refs: string[]): Promise<Selected[]> {
  const out = new Map<string, Selected>();
  for (const ref of refs) {
    const image = await store.get(ref);
    let names = image.names;
    try {
      const parsed = parseReference(ref);
      const full = `${parsed.domain}/${parsed.path}:${parsed.tag}`;
      if (!parsed.digest && image.names.includes(full)) names = [full];
    } catch { /* an ID: all names */ }
    const seen = out.get(image.manifestDigest);
    if (seen) seen.names = [...new Set([...seen.names, ...names])];
    else out.set(image.manifestDigest, { image, names });
  }
  return [...out.values()];
}

const dir = (path: string): LayerItem => ({ entry: { path, type: 'directory', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0 } });
const fileEntry = (path: string, size: number): TarEntry => ({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, size, mtime: 0 });
const bytesItem = (path: string, data: Buffer): LayerItem => ({ entry: fileEntry(path, data.length), stream: async () => [data] });

/** Writes the archive of `refs` to `out` (ended when done). */
export async function saveImages(store: ImageStore, refs: string[], format: ArchiveFormat, out: Writable): Promise<void> {
  const selected = await selectImages(store, refs);
  const items = format === 'oci' ? ociItems(store, selected) : dockerItems(store, selected);
  await pipeline(tarStream(items), out);
}

async function* blobItem(store: ImageStore, digest: string): AsyncGenerator<LayerItem> {
  const size = (await store.blobs.size(digest)) ?? 0;
  yield { entry: fileEntry(`blobs/sha256/${digest.slice(7)}`, size), source: store.blobs.path(digest) };
}

async function* ociItems(store: ImageStore, selected: Selected[]): AsyncGenerator<LayerItem> {
  const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
  const dockerManifest: object[] = [];
  const blobs = new Set<string>();
  for (const { image, names } of selected) {
    const desc: Descriptor = { mediaType: image.manifest.mediaType ?? MediaType.ociManifest, digest: image.manifestDigest, size: (await store.blobs.size(image.manifestDigest)) ?? 0 };
    if (names.length === 0) index.manifests.push(desc);
    for (const n of names) index.manifests.push({ ...desc, annotations: nameAnnotations(n) });
    for (const d of [image.manifestDigest, image.manifest.config.digest, ...image.manifest.layers.map((l) => l.digest)]) blobs.add(d);
    dockerManifest.push({
      Config: `blobs/sha256/${image.manifest.config.digest.slice(7)}`,
      RepoTags: names.map((n) => familiarName(parseReference(n))),
      Layers: image.manifest.layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`),
    });
  }
  yield bytesItem('oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
  yield dir('blobs');
  yield dir('blobs/sha256');
  for (const d of [...blobs].sort()) yield* blobItem(store, d);
  yield bytesItem('index.json', Buffer.from(JSON.stringify(index)));
  yield bytesItem('manifest.json', Buffer.from(JSON.stringify(dockerManifest)));
}

async function* dockerItems(store: ImageStore, selected: Selected[]): AsyncGenerator<LayerItem> {
  const manifest: object[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  const written = new Set<string>();
  for (const { image, names } of selected) {
    const configBytes = await store.blobs.read(image.manifest.config.digest);
    const configName = `${image.id.slice(7)}.json`;
    if (!written.has(configName)) {
      written.add(configName);
      yield bytesItem(configName, configBytes);
    }
    const layerPaths: string[] = [];
    const diffIDs = image.config.rootfs.diff_ids;
    for (const [i, layer] of image.manifest.layers.entries()) {
      const diffID = diffIDs[i];
      const id = diffID.slice(7);
      layerPaths.push(`${id}/layer.tar`);
      if (written.has(id)) continue;
      written.add(id);
      const size = await uncompressedSize(store, layer, diffID);
      yield dir(id);
      yield bytesItem(`${id}/VERSION`, Buffer.from('1.0'));
      yield bytesItem(`${id}/json`, Buffer.from(JSON.stringify({ id, ...(i > 0 ? { parent: diffIDs[i - 1].slice(7) } : {}) })));
      yield {
        entry: fileEntry(`${id}/layer.tar`, size),
        stream: async () => {
          const { tar, verify } = await store.layers.openTar(layer, diffID);
          return (async function* () {
            for await (const chunk of tar) yield chunk as Buffer;
            verify(); // a corrupt blob fails the save instead of writing a wrong layer
          })();
        },
      };
    }
    const familiar = names.map((n) => familiarName(parseReference(n)));
    manifest.push({ Config: configName, RepoTags: familiar, Layers: layerPaths });
    const top = diffIDs.length > 0 ? diffIDs[diffIDs.length - 1].slice(7) : image.id.slice(7);
    for (const n of familiar) {
      const colon = n.lastIndexOf(':');
      (repositories[n.slice(0, colon)] ??= {})[n.slice(colon + 1)] = top;
    }
  }
  yield bytesItem('manifest.json', Buffer.from(JSON.stringify(manifest)));
  yield bytesItem('repositories', Buffer.from(JSON.stringify(repositories)));
}

/** A layer's uncompressed size: from its record, or by reading it once (pulled layers). */
async function uncompressedSize(store: ImageStore, layer: Descriptor, diffID: string): Promise<number> {
  const rec = await store.layers.record(diffID);
  if (rec && rec.digest === layer.digest) return rec.uncompressedSize;
  const { tar, verify, tap } = await store.layers.openTar(layer, diffID);
  for await (const _ of tar) { /* count */ }
  verify();
  await store.layers.putRecord({ diffID, digest: layer.digest, mediaType: layer.mediaType, size: layer.size, uncompressedSize: tap.bytes });
  return tap.bytes;
}
