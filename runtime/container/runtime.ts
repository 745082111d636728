// Wiring for the service: one call builds the container side of the runtime — container
// store, volume store (with its in-use check), cgroups for the host, the real starter and the
// lifecycle manager — and adapts the image store into the manager's ImageProvider.
import fs from 'node:fs';
import os from 'node:os';
import { detectCgroups, type Cgroups } from '../cgroups';
import { NotFoundError } from '../errors';
import type { Syscalls } from '../linux/syscalls';
import { VolumeStore } from '../volumes';
import type { ImageConfig } from './config';
import { ContainerManager } from './manager';
import type { ContainerEventInput, ImageProvider, PortPublisher, Starter } from './manager-types';
import { writeInitLayer } from './start/init-layer';
import { ContainerStore } from './state';
import { createStarter } from './starter';

/** The part of runtime/image's ImageStore the containers need. */
export interface ImageLookup {
  find(nameOrId: string): Promise<{ id: string; config: { config?: unknown } } | undefined>;
  lowerDirs(nameOrId: string): Promise<{ dirs: string[] }>;
}

export function imageProvider(images: ImageLookup): ImageProvider {
  return {
    async resolve(ref) {
      const img = await images.find(ref);
      if (!img) throw new NotFoundError(`No such image: ${ref}`);
      const lower = await images.lowerDirs(img.id);
      return { id: img.id, config: (img.config.config ?? {}) as ImageConfig, layers: lower.dirs };
    },
  };
}

/** Static tini builds that work inside any image, for --init (docker-init is tini too). */
export const INIT_BINARIES = ['/usr/bin/docker-init', '/usr/bin/tini-static', '/usr/libexec/docker/docker-init'];

export interface ContainerRuntime {
  store: ContainerStore;
  volumes: VolumeStore;
  cgroups: Cgroups;
  manager: ContainerManager;
}

export interface ContainerRuntimeOptions {
  stateRoot: string;
  sys: Syscalls;
  images: ImageLookup;
  publish(event: ContainerEventInput): void;
  cgroupRoot?: string;
  /** Node for the second-stage init (the service's own by default). */
  nodePath?: string;
  /**
   * Binds and serves -p ports (runtime/container/ports HostPorts) before every start and at
   * re-adoption. Without it the manager serves no published port.
   */
  ports?: PortPublisher;
  /** Replaces the real starter (the service wraps it to see PTY output from the first byte). */
  starter?: Starter;
  onError?(context: string, err: unknown): void;
}

/** Builds everything and re-adopts the containers of a previous service run. */
export async function createContainerRuntime(o: ContainerRuntimeOptions): Promise<ContainerRuntime> {
  const store = new ContainerStore(o.stateRoot);
  const volumes = new VolumeStore(o.stateRoot, {
    usedBy: (name) => store.list().filter((r) => ContainerManager.volumesOf(r).includes(name)).map((r) => r.id),
  });
  const cgroups = detectCgroups(o.cgroupRoot);
  const manager = new ContainerManager({
    store, volumes, cgroups,
    starter: o.starter ?? createStarter(o.sys, o.nodePath ? { nodePath: o.nodePath } : {}),
    images: imageProvider(o.images),
    publish: o.publish,
    ...(o.ports ? { ports: o.ports } : {}),
    host: { cpus: os.cpus().length, hostname: os.hostname(), memory: os.totalmem() },
    writeInitLayer: (dir, opts) => writeInitLayer(dir, opts),
    initBinary: INIT_BINARIES.find((p) => fs.existsSync(p)),
    onError: o.onError,
  });
  await manager.adopt();
  return { store, volumes, cgroups, manager };
}
