// The image store: an OCI image layout under <state>/image.
//
//   oci-layout                 {"imageLayoutVersion":"1.0.0"}
//   index.json                 one descriptor per (manifest, name); an image without names keeps
//                              one descriptor without name annotations (a "dangling" image)
//   blobs/sha256/<hex>         manifests, configs, gzip layers (see blobs.ts)
//   ingest/                    partial blob writes (resumable)
//   meta/layers/<hex>.json     per-layer record: sizes and the change list (layers.ts)
//   layers/<hex>/diff, l/<ID>  unpacked layers for overlay (layers.ts)
//
// The image ID is the config digest, as in Docker. Names are full normalised references
// ("docker.io/library/busybox:latest") kept in Slipway's annotation next to the OCI tag
// annotation, so skopeo/umoci read the layout too. index.json is only rewritten under the
// store lock, through a temp file + fsync + rename; a crash leaves the old or the new file.
import fs from 'node:fs';
import path from 'node:path';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../errors';
import { defaultSpecialFs } from '../layer/syscall-special-fs';
import { BlobStore } from './blobs';
import { LayerStore, type LayerStoreOptions, type LowerDirs } from './layers';
import { withLock } from './lock';
import { familiarName, formatReference, parseReference, type Reference } from './reference';
import { Annotation, MediaType, checkDigest, isDigest, parseConfig, parseManifest, type Descriptor, type ImageConfig, type ImageIndex, type Manifest } from './types';
import { isStaleTemp, writeFileAtomic } from '../common/atomic-file';

export interface ImageRecord {
  /** Config digest ("sha256:…"): Docker's image ID. */
  id: string;
  manifestDigest: string;
  manifest: Manifest;
  config: ImageConfig;
  /** Full references, sorted. */
  names: string[];
  /** Bytes of the manifest, config and (compressed) layers. */
  size: number;
}

export interface PutImageInput {
  config: ImageConfig | Buffer;
  /** Layer descriptors, already in the blob store, in config.rootfs.diff_ids order. */
  layers: Descriptor[];
  names?: string[];
  manifestMediaType?: string;
  annotations?: Record<string, string>;
}

export type RemoveReport = { Untagged: string } | { Deleted: string };


function emptyIndex(): ImageIndex {
  return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
}

/** The full reference a descriptor names, if any. */
export function descriptorName(d: Descriptor): string | undefined {
  const a = d.annotations ?? {};
  const full = a[Annotation.slipwayName] ?? a[Annotation.containerdName];
  if (full) return full;
  const ref = a[Annotation.refName];
  // Layouts written by other tools may carry a full reference in ref.name.
  if (ref && (ref.includes('/') || ref.includes(':'))) {
    try { return formatReference(parseReference(ref)); } catch { return undefined; }
  }
  return undefined;
}

export function nameAnnotations(name: string): Record<string, string> {
  const ref = parseReference(name);
  return { [Annotation.refName]: ref.tag ?? 'latest', [Annotation.slipwayName]: formatReference(ref), [Annotation.containerdName]: formatReference(ref) };
}

/** Normalises a name that will be written: a tag is required, a digest is not allowed. */
export function checkTagName(name: string): string {
  const ref = parseReference(name);
  if (ref.digest) throw new InvalidArgumentError(`cannot tag with a digest reference "${name}"`);
  return formatReference(ref);
}

export class ImageStore {
  readonly blobs: BlobStore;
  readonly layers: LayerStore;
  private readonly cache = new Map<string, { manifest: Manifest; config: ImageConfig; size: number }>();

  private constructor(readonly root: string, options: LayerStoreOptions) {
    this.blobs = new BlobStore(root);
    this.layers = new LayerStore(root, this.blobs, options);
  }

  /**
   * Opens (creating when needed) the store at `root` and sweeps what a crash left behind.
   * `special` does xattrs and device nodes (default: libc through runtime/linux/, the host tools
   * only where koffi cannot load); `overlayXattrPrefix` is "user" when the service runs in a user namespace.
   */
  static async open(root: string, options: Partial<LayerStoreOptions> = {}): Promise<ImageStore> {
    const store = new ImageStore(path.resolve(root), { special: options.special ?? defaultSpecialFs(), overlayXattrPrefix: options.overlayXattrPrefix });
    await store.blobs.init();
    await store.layers.init();
    await fs.promises.mkdir(path.join(store.root, 'meta', 'layers'), { recursive: true });
    const layout = path.join(store.root, 'oci-layout');
    if (!fs.existsSync(layout)) await writeFileAtomic(layout, JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    if (!fs.existsSync(store.indexPath)) await writeFileAtomic(store.indexPath, JSON.stringify(emptyIndex()));
    await store.sweep();
    return store;
  }

  get indexPath(): string {
    return path.join(this.root, 'index.json');
  }

  get lockPath(): string {
    return path.join(this.root, 'index.lock');
  }

  private async sweep(): Promise<void> {
    for (const dir of [this.root, path.join(this.root, 'meta', 'layers')]) {
      for (const name of await fs.promises.readdir(dir)) {
        if (isStaleTemp(name)) await fs.promises.rm(path.join(dir, name), { force: true, recursive: true });
      }
    }
    await this.blobs.sweep();
  }

  async readIndex(): Promise<ImageIndex> {
    try {
      const parsed = JSON.parse(await fs.promises.readFile(this.indexPath, 'utf8')) as ImageIndex;
      return Array.isArray(parsed.manifests) ? parsed : emptyIndex();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyIndex();
      throw err;
    }
  }

  /** Read-modify-write of index.json under the store lock. */
  async updateIndex<T>(fn: (index: ImageIndex) => Promise<T> | T): Promise<T> {
    return withLock(this.lockPath, async () => {
      const index = await this.readIndex();
      const result = await fn(index);
      await writeFileAtomic(this.indexPath, JSON.stringify(index));
      return result;
    });
  }

  /** Manifest + config of a manifest blob (blobs never change, so this is cached). */
  async loadManifest(manifestDigest: string): Promise<{ manifest: Manifest; config: ImageConfig; size: number }> {
    const hit = this.cache.get(manifestDigest);
    if (hit) return hit;
    const mbytes = await this.blobs.read(manifestDigest);
    const manifest = parseManifest(mbytes, `manifest ${manifestDigest}`);
    const cbytes = await this.blobs.read(manifest.config.digest);
    const config = parseConfig(cbytes, `image config ${manifest.config.digest}`);
    const size = mbytes.length + cbytes.length + manifest.layers.reduce((n, l) => n + l.size, 0);
    const entry = { manifest, config, size };
    this.cache.set(manifestDigest, entry);
    return entry;
  }

  /** Every image, one record per manifest. */
  async list(): Promise<ImageRecord[]> {
    const index = await this.readIndex();
    const byManifest = new Map<string, Set<string>>();
    for (const d of index.manifests) {
      if (d.mediaType !== undefined && ![MediaType.ociManifest, MediaType.dockerManifest].includes(d.mediaType as never)) continue;
      const names = byManifest.get(d.digest) ?? new Set<string>();
      const name = descriptorName(d);
      if (name) names.add(name);
      byManifest.set(d.digest, names);
    }
    const out: ImageRecord[] = [];
    for (const [manifestDigest, names] of byManifest) {
      const { manifest, config, size } = await this.loadManifest(manifestDigest);
      out.push({ id: manifest.config.digest, manifestDigest, manifest, config, names: [...names].sort(), size });
    }
    return out;
  }

  /**
   * Finds an image by name ("busybox", "localhost:5000/x:1"), name@digest, manifest digest,
   * full ID ("sha256:…") or an ID prefix (at least 1 hex digit; ambiguity is an error).
   */
  async find(nameOrId: string): Promise<ImageRecord | undefined> {
    const images = await this.list();
    let ref: Reference | undefined;
    try { ref = parseReference(nameOrId); } catch { ref = undefined; }
    if (ref && !ref.digest) {
      const full = formatReference(ref);
      const hit = images.find((i) => i.names.includes(full));
      if (hit) return hit;
    }
    if (ref?.digest) {
      const hit = images.find((i) => i.manifestDigest === ref!.digest || i.id === ref!.digest);
      if (hit) return hit;
    }
    const hex = /^(sha256:)?([a-f0-9]{1,64})$/.exec(nameOrId);
    if (hex) {
      if (isDigest(nameOrId)) return images.find((i) => i.id === nameOrId || i.manifestDigest === nameOrId);
      const matches = new Map(images.filter((i) => i.id.slice(7).startsWith(hex[2])).map((i) => [i.id, i]));
      if (matches.size > 1) throw new ConflictError(`image ID prefix "${nameOrId}" is ambiguous (${matches.size} images)`);
      return [...matches.values()][0];
    }
    return undefined;
  }

  async get(nameOrId: string): Promise<ImageRecord> {
    const hit = await this.find(nameOrId);
    if (!hit) throw new NotFoundError(`no such image: ${nameOrId}`);
    return hit;
  }

  /**
   * Stores an image whose layer blobs are already in the store: writes the config and manifest
   * blobs, then adds it to index.json under `names` (or as an untagged image).
   */
  async putImage(input: PutImageInput): Promise<ImageRecord> {
    const configBytes = Buffer.isBuffer(input.config) ? input.config : Buffer.from(JSON.stringify(input.config));
    const config = parseConfig(configBytes, 'image config');
    if (config.rootfs.diff_ids.length !== input.layers.length) {
      throw new InvalidArgumentError(`image config lists ${config.rootfs.diff_ids.length} layers but ${input.layers.length} were given`);
    }
    for (const l of input.layers) {
      if (!(await this.blobs.has(l.digest))) throw new NotFoundError(`layer blob ${l.digest} is not in the store`);
    }
    const docker = input.manifestMediaType === MediaType.dockerManifest;
    const configDesc = await this.blobs.put(configBytes);
    const manifest: Manifest = {
      schemaVersion: 2,
      mediaType: docker ? MediaType.dockerManifest : MediaType.ociManifest,
      config: { mediaType: docker ? MediaType.dockerConfig : MediaType.ociConfig, ...configDesc },
      layers: input.layers.map(({ mediaType, digest, size }) => ({ mediaType, digest, size })),
      ...(input.annotations ? { annotations: input.annotations } : {}),
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest));
    const m = await this.blobs.put(manifestBytes);
    await this.addManifest({ mediaType: manifest.mediaType!, ...m }, input.names ?? []);
    return this.get(m.digest);
  }

  /**
   * Adds a manifest already in the blob store (with its config and layers) to the index, under
   * `names`. The registry's pull ends with this call, after writing every blob.
   */
  async addManifest(desc: Descriptor, names: string[]): Promise<void> {
    checkDigest(desc.digest, 'manifest digest');
    await this.loadManifest(desc.digest); // validates that manifest and config are present
    const full = names.map(checkTagName);
    await this.updateIndex((index) => {
      for (const name of full) this.moveName(index, name, desc);
      if (full.length === 0 && !index.manifests.some((d) => d.digest === desc.digest)) {
        index.manifests.push({ mediaType: desc.mediaType, digest: desc.digest, size: desc.size });
      }
    });
  }

  /** Points `name` at `desc`, leaving the image it came from dangling if that was its last name. */
  private moveName(index: ImageIndex, name: string, desc: Descriptor): void {
    const old = index.manifests.findIndex((d) => descriptorName(d) === name);
    if (old >= 0) {
      const [removed] = index.manifests.splice(old, 1);
      if (removed.digest !== desc.digest && !index.manifests.some((d) => d.digest === removed.digest)) {
        index.manifests.push({ mediaType: removed.mediaType, digest: removed.digest, size: removed.size });
      }
    }
    // The untagged placeholder of this manifest is no longer needed once it has a name.
    index.manifests = index.manifests.filter((d) => !(d.digest === desc.digest && descriptorName(d) === undefined));
    index.manifests.push({ mediaType: desc.mediaType, digest: desc.digest, size: desc.size, annotations: nameAnnotations(name) });
  }

  /** `docker tag SOURCE TARGET`. */
  async tag(source: string, target: string): Promise<void> {
    const image = await this.get(source);
    const size = await this.blobs.size(image.manifestDigest);
    await this.updateIndex((index) => this.moveName(index, checkTagName(target), { mediaType: image.manifest.mediaType ?? MediaType.ociManifest, digest: image.manifestDigest, size: size ?? 0 }));
  }

  /**
   * `docker rmi`. A name removes that name (and the image with its last name); an ID removes
   * the image and all its names, but only with `force` when it has several. An image a
   * container uses (the injected `inUse`) is refused unless forced; forced, it loses its names
   * and stays as a dangling image so the container keeps working.
   */
  async remove(nameOrId: string, options: { force?: boolean; inUse?: (id: string) => boolean | Promise<boolean> } = {}): Promise<RemoveReport[]> {
    const image = await this.get(nameOrId);
    let byName: string | undefined;
    try {
      const ref = parseReference(nameOrId);
      const full = formatReference(ref);
      if (!ref.digest && image.names.includes(full)) byName = full;
    } catch { /* an ID */ }
    const used = (await options.inUse?.(image.id)) ?? false;
    const reports: RemoveReport[] = [];
    const display = (n: string) => familiarName(parseReference(n));
    if (byName && image.names.length > 1) {
      await this.updateIndex((index) => { index.manifests = index.manifests.filter((d) => descriptorName(d) !== byName); });
      return [{ Untagged: display(byName) }];
    }
    if (!byName && image.names.length > 1 && !options.force) {
      throw new ConflictError(`unable to delete ${image.id.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`);
    }
    if (used && !options.force) {
      throw new ConflictError(`unable to remove ${byName ? display(byName) : image.id.slice(7, 19)} (must be forced) - image ${image.id.slice(7, 19)} is used by a container`);
    }
    const manifestSize = (await this.blobs.size(image.manifestDigest)) ?? 0;
    await this.updateIndex((index) => {
      index.manifests = index.manifests.filter((d) => d.digest !== image.manifestDigest);
      if (used) index.manifests.push({ mediaType: image.manifest.mediaType ?? MediaType.ociManifest, digest: image.manifestDigest, size: manifestSize });
    });
    for (const n of image.names) reports.push({ Untagged: display(n) });
    if (!used) reports.push({ Deleted: image.id });
    return reports;
  }

  /** Overlay lower dirs of an image, topmost first, unpacking missing layers (for the container runtime). */
  async lowerDirs(nameOrId: string): Promise<LowerDirs> {
    const image = await this.get(nameOrId);
    return this.layers.lowerDirs(image.manifest.layers, image.config.rootfs.diff_ids);
  }

  /** Names of images that have no name: Docker's "<none>:<none>". */
  async dangling(): Promise<ImageRecord[]> {
    return (await this.list()).filter((i) => i.names.length === 0);
  }
}
