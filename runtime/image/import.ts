// `import` (a rootfs tarball → a one-layer image), `export` (a directory tree → a tar) and
// `commit` (a container's upper dir → a new layer on its image).
import type { Readable } from 'node:stream';
import { InvalidArgumentError } from '../errors';
import { diffUpperDir, type Change } from '../layer/diff';
import type { SpecialFs } from '../layer/special-fs';
import { treeItemsSync } from '../layer/tree';
import type { OverlayXattrPrefix } from '../layer/whiteout';
import { tarStream } from '../layer/writer';
import { applyChanges } from './changes';
import type { LayerRecord } from './layers';
import type { ImageRecord, ImageStore } from './store';
import { hostPlatform, type ContainerConfig, type ImageConfig, type Platform } from './types';

export interface ImportOptions {
  /** `--change` lines: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR. */
  changes?: string[];
  /** `-m`: the history comment. */
  message?: string;
  /** Names to tag the image with. */
  names?: string[];
  platform?: Platform;
  /** RFC 3339 creation time; now by default. */
  created?: string;
  /** What the history says the layer came from ("-" for stdin, a path or URL). */
  source?: string;
}

/** `docker import`: a plain or gzip rootfs tar as a one-layer image. */
export async function importRootfs(store: ImageStore, tar: Readable, options: ImportOptions = {}): Promise<{ image: ImageRecord; layer: LayerRecord }> {
  const config = applyChanges({}, options.changes ?? []); // validate before writing anything
  const layer = await store.layers.fromTar(tar);
  const created = options.created ?? new Date().toISOString();
  const platform = options.platform ?? hostPlatform();
  const imageConfig: ImageConfig = {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    created,
    config,
    rootfs: { type: 'layers', diff_ids: [layer.diffID] },
    history: [{ created, created_by: `import ${options.source ?? '-'}`, ...(options.message ? { comment: options.message } : { comment: `Imported from ${options.source ?? '-'}` }) }],
  };
  const image = await store.putImage({ config: imageConfig, layers: [store.layers.descriptor(layer)], names: options.names });
  return { image, layer };
}

/** `docker export`: the tar of a directory tree (a container's merged rootfs). */
export function exportTree(root: string, special: SpecialFs): Readable {
  return tarStream(treeItemsSync(root, special));
}

export interface CommitOptions {
  /** The container's image (name or ID); undefined for a container FROM scratch. */
  parent?: string;
  /** The overlay upper dir of the container (its writable layer). */
  upperDir: string;
  /** The container's lower dirs, topmost first (to tell added from modified). */
  lowerDirs: string[];
  /** The container's config (Cmd, Env, ...); the parent image's by default. */
  config?: ContainerConfig;
  changes?: string[];
  message?: string;
  author?: string;
  names?: string[];
  /** History "created_by"; a build step passes its instruction. */
  createdBy?: string;
  /** RFC 3339 creation time; now by default (builders pass a fixed one for reproducible images). */
  created?: string;
  special: SpecialFs;
  overlayXattrPrefix?: OverlayXattrPrefix;
  /** SOURCE_DATE_EPOCH-style clamp for reproducible layers. */
  clampMtime?: number;
}

/**
 * `docker commit`: the upper dir becomes a layer (with its change list recorded), appended to
 * the parent image's layers with a new history entry.
 */
export async function commitUpperDir(store: ImageStore, options: CommitOptions): Promise<{ image: ImageRecord; layer: LayerRecord; changes: Change[] }> {
  const parent = options.parent ? await store.get(options.parent) : undefined;
  const containerConfig = applyChanges(options.config ?? parent?.config.config ?? {}, options.changes ?? []);
  const diff = await diffUpperDir(options.upperDir, options.lowerDirs, { special: options.special, overlayXattrPrefix: options.overlayXattrPrefix, clampMtime: options.clampMtime });
  const layer = await store.layers.create(diff.items, { changes: diff.changes });
  const created = options.created ?? new Date().toISOString();
  const platform = hostPlatform();
  const base: ImageConfig = parent ? structuredClone(parent.config) : { architecture: platform.architecture, os: platform.os, rootfs: { type: 'layers', diff_ids: [] }, history: [] };
  const config: ImageConfig = {
    ...base,
    created,
    ...(options.author ? { author: options.author } : {}),
    config: containerConfig,
    rootfs: { type: 'layers', diff_ids: [...base.rootfs.diff_ids, layer.diffID] },
    history: [...(base.history ?? []), {
      created,
      ...(options.author ? { author: options.author } : {}),
      ...(options.createdBy ? { created_by: options.createdBy } : {}),
      ...(options.message ? { comment: options.message } : {}),
    }],
  };
  const layers = [...(parent?.manifest.layers ?? []), store.layers.descriptor(layer)];
  if (config.rootfs.diff_ids.length !== layers.length) throw new InvalidArgumentError(`parent image ${options.parent} has inconsistent layers`);
  const image = await store.putImage({ config, layers, names: options.names });
  return { image, layer, changes: diff.changes };
}
