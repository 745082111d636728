// `load`: a Docker archive or an OCI archive (see archive.ts) into the store, streamed.
//
// Entries are taken as they come, since archives put manifest.json anywhere: blobs/sha256/<hex>
// go straight into the blob store (verified against their name), big files (legacy
// <id>/layer.tar) are compressed into layer blobs on the fly, small files (JSON) are kept in
// memory. Then index.json (preferred: it keeps manifest digests) or manifest.json says which
// images to add. Every layer is checked against its config's diffID. A failure adds no image;
// blobs already written stay unreferenced until gc.
import path from 'node:path';
import { Readable } from 'node:stream';
import { InvalidArgumentError, NotFoundError } from '../errors';
import { cleanEntryPath } from '../layer/extract';
import { readTar } from '../layer/tar-reader';
import { DigestMismatchError } from './blobs';
import type { LayerRecord } from './layers';
import { familiarName, formatReference, parseReference } from './reference';
import { descriptorName, type ImageRecord, type ImageStore } from './store';
import { INDEX_TYPES, MediaType, hostPlatform, parseConfig, parseIndex, parseManifest, type Descriptor, type Platform } from './types';

const SMALL = 8 * 1024 * 1024;

export interface LoadResult {
  images: ImageRecord[];
  /** "Loaded image: busybox:latest" / "Loaded image ID: sha256:…" lines, as docker load prints. */
  messages: string[];
}

interface Collected {
  memory: Map<string, Buffer>;
  blobs: Map<string, string>; // archive path → digest
  layers: Map<string, LayerRecord>; // archive path → compressed layer
  links: Map<string, string>; // archive path → target path (symlinks/hard links between layer dirs)
}

async function collect(store: ImageStore, input: Readable): Promise<Collected> {
  const c: Collected = { memory: new Map(), blobs: new Map(), layers: new Map(), links: new Map() };
  for await (const { entry, rawPath, content } of readTar(input)) {
    const rel = cleanEntryPath(rawPath, 'archive entry').join('/');
    if (entry.type === 'symlink') {
      c.links.set(rel, path.posix.normalize(path.posix.join(path.posix.dirname(rel), entry.linkname ?? '')));
      continue;
    }
    if (entry.type === 'link') {
      c.links.set(rel, cleanEntryPath(entry.linkname ?? '', 'archive link').join('/'));
      continue;
    }
    if (entry.type !== 'file') continue;
    const blob = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(rel);
    if (blob) {
      const info = await store.blobs.putStream(content, { digest: `sha256:${blob[1]}`, size: entry.size });
      c.blobs.set(rel, info.digest);
    } else if (entry.size <= SMALL || rel.endsWith('.json') || !rel.includes('/')) {
      const parts: Buffer[] = [];
      for await (const chunk of content) parts.push(chunk);
      c.memory.set(rel, Buffer.concat(parts));
    } else {
      c.layers.set(rel, await store.layers.fromTar(Readable.from(content)));
    }
  }
  return c;
}

function resolveLink(c: Collected, p: string): string {
  for (let hops = 0; c.links.has(p) && hops < 16; hops++) p = c.links.get(p)!;
  return p;
}

/** Loads every image of the archive. */
export async function loadArchive(store: ImageStore, input: Readable, options: { platform?: Platform } = {}): Promise<LoadResult> {
  const c = await collect(store, input);
  if (c.memory.has('index.json') && c.blobs.size > 0) return loadOci(store, c, options.platform ?? hostPlatform());
  if (c.memory.has('manifest.json')) return loadDocker(store, c);
  throw new InvalidArgumentError('archive has neither index.json (OCI) nor manifest.json (Docker): not an image archive');
}

function platformMatches(want: Platform, got?: Platform): boolean {
  if (!got) return false;
  return got.os === want.os && got.architecture === want.architecture && (!want.variant || !got.variant || got.variant === want.variant);
}

async function loadOci(store: ImageStore, c: Collected, platform: Platform): Promise<LoadResult> {
  const index = parseIndex(c.memory.get('index.json')!, 'index.json of the archive');
  const result: LoadResult = { images: [], messages: [] };
  const pending: { desc: Descriptor; names: string[] }[] = [];
  const visit = async (desc: Descriptor, names: string[]): Promise<void> => {
    if (!(await store.blobs.has(desc.digest))) throw new NotFoundError(`archive is missing blob ${desc.digest}`);
    if (INDEX_TYPES.includes(desc.mediaType)) {
      const nested = parseIndex(await store.blobs.read(desc.digest), `index ${desc.digest}`);
      const choice = nested.manifests.find((m) => platformMatches(platform, m.platform)) ?? (nested.manifests.length === 1 ? nested.manifests[0] : undefined);
      if (!choice) throw new NotFoundError(`archive has no image for platform ${platform.os}/${platform.architecture} in index ${desc.digest}`);
      return visit(choice, names);
    }
    const manifest = parseManifest(await store.blobs.read(desc.digest), `manifest ${desc.digest}`);
    for (const d of [manifest.config, ...manifest.layers]) {
      if (!(await store.blobs.has(d.digest))) throw new NotFoundError(`archive is missing blob ${d.digest} of manifest ${desc.digest}`);
    }
    const config = parseConfig(await store.blobs.read(manifest.config.digest), `config ${manifest.config.digest}`);
    if (config.rootfs.diff_ids.length !== manifest.layers.length) throw new InvalidArgumentError(`manifest ${desc.digest} has ${manifest.layers.length} layers but its config lists ${config.rootfs.diff_ids.length}`);
    pending.push({ desc: { mediaType: desc.mediaType ?? manifest.mediaType ?? MediaType.ociManifest, digest: desc.digest, size: desc.size }, names });
  };
  for (const d of index.manifests) {
    const name = descriptorName(d);
    await visit(d, name ? [name] : []);
  }
  // Everything is verified before the first name changes.
  for (const { desc, names } of pending) {
    await store.addManifest(desc, names);
    const image = await store.get(desc.digest);
    result.images.push(image);
    result.messages.push(...(names.length ? names.map((n) => `Loaded image: ${familiarName(parseReference(n))}`) : [`Loaded image ID: ${image.id}`]));
  }
  return result;
}

interface DockerManifestItem {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

async function loadDocker(store: ImageStore, c: Collected): Promise<LoadResult> {
  let items: DockerManifestItem[];
  try {
    items = JSON.parse(c.memory.get('manifest.json')!.toString('utf8')) as DockerManifestItem[];
  } catch (err) {
    throw new InvalidArgumentError('manifest.json of the archive is not valid JSON', { cause: err });
  }
  if (!Array.isArray(items)) throw new InvalidArgumentError('manifest.json of the archive is not a list');
  const file = async (p: string): Promise<Buffer> => {
    const r = resolveLink(c, cleanEntryPath(p, 'manifest.json path').join('/'));
    const mem = c.memory.get(r);
    if (mem) return mem;
    const digest = c.blobs.get(r);
    if (digest) return store.blobs.read(digest);
    throw new NotFoundError(`archive is missing ${p}, named in manifest.json`);
  };
  const prepared: { config: Buffer; layers: LayerRecord[]; names: string[] }[] = [];
  for (const item of items) {
    if (typeof item?.Config !== 'string' || !Array.isArray(item.Layers)) throw new InvalidArgumentError('manifest.json of the archive has an entry without Config or Layers');
    const configBytes = await file(item.Config);
    const config = parseConfig(configBytes, `config ${item.Config}`);
    if (config.rootfs.diff_ids.length !== item.Layers.length) throw new InvalidArgumentError(`config ${item.Config} lists ${config.rootfs.diff_ids.length} layers but manifest.json has ${item.Layers.length}`);
    const layers: LayerRecord[] = [];
    for (const [i, p] of item.Layers.entries()) {
      const r = resolveLink(c, cleanEntryPath(p, 'manifest.json layer').join('/'));
      let rec = c.layers.get(r);
      if (!rec) {
        const digest = c.blobs.get(r);
        rec = digest ? await store.layers.fromTar(await store.blobs.open(digest)) : await store.layers.fromTar(Readable.from([await file(p)]));
        c.layers.set(r, rec);
      }
      if (rec.diffID !== config.rootfs.diff_ids[i]) throw new DigestMismatchError(`layer ${p} does not match the diffID in ${item.Config}`, config.rootfs.diff_ids[i], rec.diffID);
      layers.push(rec);
    }
    const names = (item.RepoTags ?? []).map((t) => formatReference(parseReference(t)));
    prepared.push({ config: configBytes, layers, names });
  }
  const result: LoadResult = { images: [], messages: [] };
  for (const p of prepared) {
    // Keep the config bytes as they are: the image ID must survive the round trip.
    const image = await store.putImage({ config: p.config, layers: p.layers.map((l) => store.layers.descriptor(l)), names: p.names });
    result.images.push(image);
    result.messages.push(...(p.names.length ? p.names.map((n) => `Loaded image: ${familiarName(parseReference(n))}`) : [`Loaded image ID: ${image.id}`]));
  }
  return result;
}
