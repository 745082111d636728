// Layers in the store: creating layer blobs, their records (sizes + change list, the per-layer
// preview data), and unpacked copies for overlayfs.
//
//   meta/layers/<diffhex>.json   LayerRecord
//   layers/<diffhex>/diff        the layer extracted with overlay whiteouts (a lower dir)
//   layers/<diffhex>/link        its short ID
//   l/<ID> -> ../layers/<diffhex>/diff
// The short links are Docker overlay2's idea: a mount's lowerdir= option must fit in one page
// (4096 bytes), and "l/ABCDEFGHIJKLMNOPQRSTUVWXYZ" is 28 bytes where an absolute path to a
// diff directory is over 100, so ~140 layers fit instead of ~35 when mounting from the store root.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SlipwayError } from '../errors';
import type { Change } from '../layer/diff';
import type { DockerfileSource } from './layer-source';
import { extractTar } from '../layer/extract';
import type { SpecialFs } from '../layer/special-fs';
import type { OverlayXattrPrefix } from '../layer/whiteout';
import { compressTar, decompressed, HashTap, tarStream, type LayerItems, type WriteLayerOptions } from '../layer/writer';
import type { BlobStore } from './blobs';
import { DigestMismatchError } from './blobs';
import { withLock } from './lock';
import { MediaType, checkDigest, type Descriptor } from './types';
import { isStaleTemp, writeFileAtomic } from '../common/atomic-file';

export interface LayerRecord {
  diffID: string;
  /** The stored (compressed) blob. */
  digest: string;
  mediaType: string;
  size: number;
  uncompressedSize: number;
  /** What this layer added, modified and deleted, when known (built or committed here). */
  changes?: Change[];
  /** The Dockerfile instruction that made it, when built here (layer-changes.ts; checked on read). */
  source?: DockerfileSource;
}

export interface LowerDirs {
  /** The store root: mount with this as the working directory to use `links`. */
  root: string;
  /** Short relative names ("l/ABC…"), topmost layer first, as overlay's lowerdir= lists them. */
  links: string[];
  /** The same directories as absolute paths, topmost first. */
  dirs: string[];
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A 26-character [A-Z2-7] name derived from the diffID (stable, so links need no bookkeeping). */
export function shortId(diffID: string): string {
  const bytes = createHash('sha256').update(`slipway-layer-link:${diffID}`).digest().subarray(0, 16);
  let bits = 0, value = 0, out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export interface LayerStoreOptions {
  special: SpecialFs;
  overlayXattrPrefix?: OverlayXattrPrefix;
}

export class LayerStore {
  readonly layersDir: string;
  readonly linksDir: string;
  readonly metaDir: string;

  constructor(readonly root: string, private readonly blobs: BlobStore, readonly options: LayerStoreOptions) {
    this.layersDir = path.join(root, 'layers');
    this.linksDir = path.join(root, 'l');
    this.metaDir = path.join(root, 'meta', 'layers');
  }

  async init(): Promise<void> {
    for (const d of [this.layersDir, this.linksDir, this.metaDir]) await fs.promises.mkdir(d, { recursive: true });
    // Half-unpacked layers from a crash; unpacking starts again when needed.
    for (const name of await fs.promises.readdir(this.layersDir)) {
      if (isStaleTemp(name)) await fs.promises.rm(path.join(this.layersDir, name), { recursive: true, force: true });
    }
  }

  /** Writes a layer from tar entries: gzip blob + record (with `changes` when given). */
  async create(items: LayerItems, options: WriteLayerOptions & { changes?: Change[] } = {}): Promise<LayerRecord> {
    return this.fromTar(tarStream(items), options);
  }

  /** Stores a plain or gzip tar stream as a gzip layer (import, load). */
  async fromTar(tar: Readable, options: WriteLayerOptions & { changes?: Change[] } = {}): Promise<LayerRecord> {
    const plain = await decompressed(tar, 'layer archive');
    const writer = await this.blobs.writer();
    let digests;
    try {
      digests = await compressTar(plain, writer.stream(), options);
    } catch (err) {
      await writer.abort();
      throw err;
    }
    const blob = await writer.commit();
    const record: LayerRecord = {
      diffID: digests.diffID,
      digest: blob.digest,
      mediaType: options.compression === 'none' ? MediaType.ociLayer : MediaType.ociLayerGzip,
      size: blob.size,
      uncompressedSize: digests.uncompressedSize,
      ...(options.changes ? { changes: options.changes } : {}),
    };
    await this.putRecord(record);
    return record;
  }

  descriptor(record: LayerRecord): Descriptor {
    return { mediaType: record.mediaType, digest: record.digest, size: record.size };
  }

  private recordPath(diffID: string): string {
    return path.join(this.metaDir, `${checkDigest(diffID, 'layer diffID').slice(7)}.json`);
  }

  async putRecord(record: LayerRecord): Promise<void> {
    const file = this.recordPath(record.diffID);
    await writeFileAtomic(file, JSON.stringify(record));
  }

  async record(diffID: string): Promise<LayerRecord | undefined> {
    try {
      return JSON.parse(await fs.promises.readFile(this.recordPath(diffID), 'utf8')) as LayerRecord;
    } catch {
      return undefined;
    }
  }

  /** Every diffID that has a record. */
  async recorded(): Promise<string[]> {
    return (await fs.promises.readdir(this.metaDir)).filter((n) => /^[a-f0-9]{64}\.json$/.test(n)).map((n) => `sha256:${n.slice(0, 64)}`);
  }

  /** The uncompressed tar of a stored layer, its diffID verified as it streams (throws at the end on mismatch). */
  async openTar(layer: Descriptor, diffID: string): Promise<{ tar: Readable; verify: () => void; tap: HashTap }> {
    const tap = new HashTap();
    const plain = await decompressed(await this.blobs.open(layer.digest), `layer ${layer.digest}`);
    plain.on('error', (e) => tap.destroy(e));
    const tar = plain.pipe(tap);
    const verify = () => {
      const actual = tap.digest();
      if (actual !== diffID) throw new DigestMismatchError(`layer ${layer.digest} does not match its diffID`, diffID, actual);
    };
    return { tar, verify, tap };
  }

  /** The unpacked directory of a layer, unpacking it (with overlay whiteouts) on first use. */
  async unpack(layer: Descriptor, diffID: string): Promise<string> {
    const hex = checkDigest(diffID, 'layer diffID').slice(7);
    const dir = path.join(this.layersDir, hex);
    const diff = path.join(dir, 'diff');
    if (fs.existsSync(diff)) return diff;
    return withLock(path.join(this.layersDir, `${hex}.lock`), async () => {
      if (fs.existsSync(diff)) return diff;
      const tmp = path.join(this.layersDir, `${hex}.tmp-${process.pid}-${Date.now()}`);
      await fs.promises.mkdir(path.join(tmp, 'diff'), { recursive: true, mode: 0o755 });
      try {
        const { tar, verify } = await this.openTar(layer, diffID);
        await extractTar(tar, path.join(tmp, 'diff'), { whiteouts: 'overlay', special: this.options.special, overlayXattrPrefix: this.options.overlayXattrPrefix });
        verify();
        const id = shortId(diffID);
        await fs.promises.writeFile(path.join(tmp, 'link'), id);
        await fs.promises.rename(tmp, dir);
        await fs.promises.rm(path.join(this.linksDir, id), { force: true });
        await fs.promises.symlink(path.join('..', 'layers', hex, 'diff'), path.join(this.linksDir, id));
      } catch (err) {
        await fs.promises.rm(tmp, { recursive: true, force: true });
        if (err instanceof SlipwayError) throw err;
        throw new SlipwayError(`cannot unpack layer ${diffID}`, { cause: err });
      }
      return diff;
    });
  }

  /** Overlay lower dirs for an image's layers (bottom-first inputs), unpacking what is missing. */
  async lowerDirs(layers: Descriptor[], diffIDs: string[]): Promise<LowerDirs> {
    if (layers.length !== diffIDs.length) throw new SlipwayError(`image has ${layers.length} layer blobs but ${diffIDs.length} diffIDs`);
    const dirs: string[] = [];
    const links: string[] = [];
    for (let i = 0; i < layers.length; i++) {
      dirs.push(await this.unpack(layers[i], diffIDs[i]));
      links.push(`l/${shortId(diffIDs[i])}`);
    }
    return { root: this.root, dirs: dirs.reverse(), links: links.reverse() };
  }

  /** Unpacked layers present on disk (diffIDs). */
  async unpacked(): Promise<string[]> {
    return (await fs.promises.readdir(this.layersDir)).filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}`);
  }

  /** Deletes an unpacked layer, its link and (with `record`) its record. */
  async removeUnpacked(diffID: string, options: { record?: boolean } = {}): Promise<number> {
    const hex = diffID.slice(7);
    const dir = path.join(this.layersDir, hex);
    const bytes = await duBytes(dir);
    await fs.promises.rm(path.join(this.linksDir, shortId(diffID)), { force: true });
    await fs.promises.rm(dir, { recursive: true, force: true });
    if (options.record) await fs.promises.rm(this.recordPath(diffID), { force: true });
    return bytes;
  }

  /** Writes the uncompressed tar of a stored layer to `out` (save to a Docker archive). */
  async copyTar(layer: Descriptor, diffID: string, out: NodeJS.WritableStream): Promise<void> {
    const { tar, verify } = await this.openTar(layer, diffID);
    await pipeline(tar, out);
    verify();
  }
}

/** Bytes used under a directory (apparent sizes of files; links and dirs not counted). */
export async function duBytes(dir: string): Promise<number> {
  let total = 0;
  const walk = async (d: string): Promise<void> => {
    let names: fs.Dirent[];
    try {
      names = await fs.promises.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of names) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) total += (await fs.promises.lstat(p)).size;
    }
  };
  await walk(dir);
  return total;
}
