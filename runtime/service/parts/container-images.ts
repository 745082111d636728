// A container's filesystem as images see it: `docker diff` (its upper dir against its image's
// layers), `docker export` (the merged tree as a tar) and `docker commit` (the upper dir as a
// new layer on its image). Containers are read from their records on disk (container/state),
// so this works the same whether or not the container part is running.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ContainerStore, type ContainerRecord } from '../../container/state';
import { ConflictError, SlipwayError } from '../../errors';
import { commitUpperDir, exportTree, type ImageRecord, type ImageStore } from '../../image';
import type { ContainerConfig } from '../../image/types';
import { diffUpperDir, type Change } from '../../layer/diff';
import { defaultSpecialFs } from '../../layer/syscall-special-fs';
import type { Syscalls } from '../../linux/syscalls';

const MNT_DETACH = 2;

export async function containerRecord(stateRoot: string, ref: string): Promise<ContainerRecord> {
  const store = new ContainerStore(stateRoot);
  await store.load();
  return store.get(ref);
}

function layersOf(rec: ContainerRecord): { upper: string; imageLowers: string[]; lowers: string[] } {
  if (!rec.rootfs) throw new ConflictError(`container ${rec.name} has no writable layer`);
  // lowerDirs = [init layer, ...image layers] (manager.ts): the init layer is never part of a diff.
  return { upper: rec.rootfs.upperDir, imageLowers: rec.rootfs.lowerDirs.slice(1), lowers: rec.rootfs.lowerDirs };
}

/** Docker's change kinds: 0 modified, 1 added, 2 deleted. */
const KIND: Record<Change['kind'], number> = { modified: 0, added: 1, deleted: 2 };

export async function containerChanges(rec: ContainerRecord): Promise<Array<{ Path: string; Kind: number }>> {
  const { upper, imageLowers } = layersOf(rec);
  const diff = await diffUpperDir(upper, imageLowers, { special: defaultSpecialFs() });
  return diff.changes.map((c) => ({ Path: c.path, Kind: KIND[c.kind] }));
}

/**
 * The container's filesystem as a tar, as `docker export` gives it: its image layers, its init
 * layer and its writable layer — never what is mounted on top (/proc, /sys, /dev, binds,
 * volumes). Reading /proc/PID/root of a running container walks into all of those (and dies
 * at /proc/self), so running and stopped containers alike are read through a read-only overlay
 * of the upper dir over the lower dirs, mounted in the service's namespace for the duration of
 * the export. With no upperdir the mount cannot write; a live container's upper dir may serve
 * as a lower dir (overlayfs only refuses that with index=on, which Slipway never sets).
 */
export async function exportContainer(rec: ContainerRecord, sys: Syscalls, tmpRoot: string): Promise<{ tar: Readable; done(): void }> {
  const { upper, lowers } = layersOf(rec);
  const target = fs.mkdtempSync(path.join(tmpRoot, 'export-'));
  try {
    sys.mount('overlay', target, 'overlay', 1 /* MS_RDONLY */, exportMountOptions(upper, lowers));
  } catch (err) {
    fs.rmSync(target, { recursive: true, force: true });
    throw new SlipwayError(`cannot mount the filesystem of container ${rec.name} for export`, { cause: err });
  }
  return {
    tar: exportTree(target, defaultSpecialFs()),
    done: () => {
      try { sys.umount2(target, MNT_DETACH); } finally { fs.rmSync(target, { recursive: true, force: true }); }
    },
  };
}

const PAGE_SIZE = 4096;

/**
 * The store's short link of an unpacked layer (`<store>/layers/<hex>/diff` →
 * `<store>/l/<ID>`, image/layers.ts), or undefined for any other directory.
 */
export function storeLink(dir: string): string | undefined {
  if (path.basename(dir) !== 'diff' || path.basename(path.dirname(path.dirname(dir))) !== 'layers') return undefined;
  try {
    const id = fs.readFileSync(path.join(path.dirname(dir), 'link'), 'utf8').trim();
    return /^[A-Z2-7]+$/.test(id) ? path.join(path.dirname(path.dirname(path.dirname(dir))), 'l', id) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Overlay options of the export mount: the writable layer is the topmost lower dir. mount(2)
 * takes one page of options; a long layer chain is given through the store's short links
 * (absolute, as this mount is made from the service, which must not chdir), which overlayfs
 * follows like any path.
 */
export function exportMountOptions(upper: string, lowers: readonly string[], linkOf: (dir: string) => string | undefined = storeLink): string {
  const plain = `lowerdir=${[upper, ...lowers].join(':')}`;
  if (plain.length < PAGE_SIZE) return plain;
  const short = `lowerdir=${[upper, ...lowers.map((d) => linkOf(d) ?? d)].join(':')}`;
  if (short.length >= PAGE_SIZE) throw new SlipwayError(`cannot export a container of ${lowers.length} layers: the overlay mount options are ${short.length} bytes, over the ${PAGE_SIZE - 1}-byte limit of mount(2)`);
  return short;
}

export interface CommitRequest {
  names: string[];
  changes: string[];
  message?: string;
  author?: string;
  /** The body of POST /commit: a container config to use instead of the container's. */
  config?: ContainerConfig;
}

const CONFIG_FIELDS = ['User', 'ExposedPorts', 'Env', 'Entrypoint', 'Cmd', 'Volumes', 'WorkingDir', 'Labels', 'StopSignal', 'Healthcheck', 'OnBuild', 'Shell'] as const;

export async function commitContainer(store: ImageStore, rec: ContainerRecord, req: CommitRequest): Promise<ImageRecord> {
  const { upper, imageLowers } = layersOf(rec);
  const source = (req.config && Object.keys(req.config).length > 0 ? req.config : rec.config) as Record<string, unknown>;
  const config: ContainerConfig = {};
  for (const k of CONFIG_FIELDS) if (source[k] !== undefined) (config as Record<string, unknown>)[k] = source[k];
  const { image } = await commitUpperDir(store, {
    parent: rec.imageId, upperDir: upper, lowerDirs: imageLowers, config, changes: req.changes,
    message: req.message, author: req.author, names: req.names, special: defaultSpecialFs(),
  });
  return image;
}
