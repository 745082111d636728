// docker create: resolves the image, merges the request with the image's config, makes or
// reuses the container's volumes (pre-filled from the image), writes the record and the
// container's directories and init layer. Owns that one operation; every step registers its
// undo, so a failure leaves no volume, directory or record behind.
import fs from 'node:fs';
import { InvalidArgumentError } from '../errors';
import { mergeCreateRequest, parseNetworkMode, planMounts, toDockerMounts, type CreateRequest, type ResolvedMount } from './config';
import type { containerPaths } from './manager-helpers';
import type { ManagerDeps } from './manager-types';
import { Rollback } from './rollback';
import { generateId, newState, normalizeName, type ContainerRecord } from './state';

export interface CreateHost {
  deps: ManagerDeps;
  paths(id: string): ReturnType<typeof containerPaths>;
  report(context: string, err: unknown): void;
}

export async function createContainer(h: CreateHost, body: CreateRequest, opts: { name?: string }): Promise<ContainerRecord> {
  const { store, volumes, images } = h.deps;
  const name = opts.name ? normalizeName(opts.name) : store.freeName();
  store.assertNameFree(name);
  if (!body.Image) throw new InvalidArgumentError('no image specified: Config.Image is empty');
  const image = await images.resolve(body.Image);
  const id = generateId();
  const net = parseNetworkMode(body.HostConfig?.NetworkMode);
  const other = net.kind === 'container' ? store.get(net.ref) : undefined;
  const merged = mergeCreateRequest(body, image.config, {
    id, hostCpus: h.deps.host.cpus, hostHostname: h.deps.host.hostname,
    networkContainer: other && { id: other.id, hostname: other.config.Hostname, domainname: other.config.Domainname },
  });
  if (other) merged.hostConfig.NetworkMode = `container:${other.id}`;

  const undo = new Rollback();
  try {
    const resolved: ResolvedMount[] = [];
    for (const m of planMounts(merged.hostConfig.Binds, merged.hostConfig.Tmpfs, merged.config.Volumes, merged.hostConfig.Mounts)) {
      if (m.type === 'bind') prepareBindSource(m);
      if (m.type !== 'volume') {
        resolved.push(m);
        continue;
      }
      const existed = m.name ? volumeExists(h.deps, m.name) : false;
      const vol = volumes.create(m.name ? { Name: m.name } : {});
      if (!existed) undo.add(`volume ${vol.Name}`, () => volumes.remove(vol.Name, { force: true }));
      if (!m.noCopy) volumes.prefill(vol.Name, image.layers, m.destination);
      resolved.push({ ...m, hostPath: vol.Mountpoint, volumeName: vol.Name });
    }
    const p = h.paths(id);
    const rec = await store.create({
      version: 1, id, name, created: new Date().toISOString(), image: body.Image, imageId: image.id,
      config: merged.config, hostConfig: merged.hostConfig, path: merged.path, args: merged.args,
      state: newState(), mounts: toDockerMounts(resolved), ports: [], restartCount: 0,
      rootfs: { lowerDirs: [p.init, ...image.layers], upperDir: p.upper, workDir: p.work, mergedDir: p.merged },
      logPath: p.log,
    });
    undo.add(`container ${id}`, () => store.remove(id));
    for (const d of [p.init, p.upper, p.work, p.merged]) fs.mkdirSync(d, { recursive: true, mode: 0o755 });
    h.deps.writeInitLayer?.(p.init, { hostname: merged.config.Hostname, domainname: merged.config.Domainname });
    undo.commit();
    return rec;
  } catch (err) {
    for (const f of await undo.run()) h.report(`undo ${f.what}`, f.err);
    throw err;
  }
}

/**
 * moby: a `-v` bind's missing host directory is created (mkdir -p, 0755, as root) and stays
 * after the container, as Docker's does; a `--mount type=bind` source must already exist.
 */
function prepareBindSource(m: Extract<ResolvedMount, { type: 'bind' }>): void {
  if (fs.existsSync(m.source)) return;
  if (!m.createSource) throw new InvalidArgumentError(`invalid mount config for type "bind": bind source path does not exist: ${m.source}`);
  try {
    fs.mkdirSync(m.source, { recursive: true, mode: 0o755 });
  } catch (err) {
    throw new InvalidArgumentError(`error while creating mount source path '${m.source}': ${(err as Error).message}`, { cause: err });
  }
}

function volumeExists(deps: ManagerDeps, name: string): boolean {
  try {
    deps.volumes.inspect(name);
    return true;
  } catch {
    return false;
  }
}
