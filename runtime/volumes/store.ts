// Named and anonymous volumes under <state>/volumes/<name>/_data, with Docker's volume JSON,
// create/inspect/ls/rm/prune and in-use checks. Which containers use a volume is asked of the
// caller (the container store knows), so this module holds no container state of its own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../errors';
import { copyMerged, type MergedCopyOptions } from './copy';
import { writeFileAtomicSync } from '../common/atomic-file';

export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const META = 'slipway-volume.json';

/** Docker's volume JSON (GET /volumes/{name}). */
export interface Volume {
  CreatedAt: string;
  Driver: 'local';
  Labels: Record<string, string>;
  Mountpoint: string;
  Name: string;
  Options: Record<string, string> | null;
  Scope: 'local';
}

export interface CreateVolumeRequest {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

export interface VolumeStoreOptions {
  /** Ids of the containers that mount the volume (any state), for rm and prune. */
  usedBy?: (name: string) => string[];
}

export class VolumeStore {
  readonly dir: string;
  private readonly usedBy: (name: string) => string[];

  constructor(stateRoot: string, opts: VolumeStoreOptions = {}) {
    this.dir = path.join(stateRoot, 'volumes');
    this.usedBy = opts.usedBy ?? (() => []);
  }

  dataPath(name: string): string {
    return path.join(this.dir, name, '_data');
  }

  private read(name: string): Volume | undefined {
    if (!VOLUME_NAME.test(name)) return undefined;
    try {
      return JSON.parse(fs.readFileSync(path.join(this.dir, name, META), 'utf8')) as Volume;
    } catch {
      return undefined;
    }
  }

  /** POST /volumes/create. An existing name is returned as is (Docker's create is idempotent). */
  create(req: CreateVolumeRequest = {}): Volume {
    if (req.Driver && req.Driver !== 'local') throw new NotFoundError(`plugin "${req.Driver}" not found`);
    const anonymous = !req.Name;
    const name = req.Name || crypto.randomBytes(32).toString('hex');
    if (!VOLUME_NAME.test(name)) {
      throw new InvalidArgumentError(`create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`);
    }
    const existing = this.read(name);
    if (existing) return existing;
    const opts = req.DriverOpts && Object.keys(req.DriverOpts).length ? req.DriverOpts : null;
    if (opts) throw new InvalidArgumentError(`create ${name}: volume options are not supported yet: ${Object.keys(opts).join(', ')}`);
    const vol: Volume = {
      CreatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      Driver: 'local',
      Labels: { ...(req.Labels ?? {}), ...(anonymous ? { [ANONYMOUS_LABEL]: '' } : {}) },
      Mountpoint: this.dataPath(name),
      Name: name,
      Options: null,
      Scope: 'local',
    };
    fs.mkdirSync(vol.Mountpoint, { recursive: true, mode: 0o755 });
    writeFileAtomicSync(path.join(this.dir, name, META), JSON.stringify(vol));
    return vol;
  }

  inspect(name: string): Volume {
    const v = this.read(name);
    if (!v) throw new NotFoundError(`get ${name}: no such volume`);
    return v;
  }

  /** GET /volumes, filters: name (substring), label (key or key=value), dangling (true/false). */
  list(filters: Record<string, string[]> = {}): { Volumes: Volume[]; Warnings: string[] } {
    for (const key of Object.keys(filters)) {
      if (!['name', 'label', 'dangling', 'driver'].includes(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
    }
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      // No volume yet.
    }
    const vols = names.map((n) => this.read(n)).filter((v): v is Volume => v !== undefined).filter((v) => {
      const pass = (key: string, test: (value: string) => boolean) => !filters[key]?.length || filters[key].some(test);
      return pass('name', (x) => v.Name.includes(x))
        && pass('driver', (x) => x === 'local')
        && pass('label', (x) => (x.includes('=') ? v.Labels[x.slice(0, x.indexOf('='))] === x.slice(x.indexOf('=') + 1) : x in v.Labels))
        && pass('dangling', (x) => (x === 'true' || x === '1') === (this.usedBy(v.Name).length === 0));
    });
    return { Volumes: vols.sort((a, b) => a.Name.localeCompare(b.Name)), Warnings: [] };
  }

  /** DELETE /volumes/{name}; force only forgives a missing volume, never one in use (as Docker). */
  remove(name: string, opts: { force?: boolean } = {}): void {
    if (!this.read(name)) {
      if (opts.force) return;
      throw new NotFoundError(`get ${name}: no such volume`);
    }
    const users = this.usedBy(name);
    if (users.length) throw new ConflictError(`remove ${name}: volume is in use - [${users.join(', ')}]`);
    fs.rmSync(path.join(this.dir, name), { recursive: true, force: true });
  }

  /** POST /volumes/prune: unused anonymous volumes (all unused ones with all=true), as API ≥ 1.42. */
  prune(filters: Record<string, string[]> = {}): { VolumesDeleted: string[]; SpaceReclaimed: number } {
    const all = filters.all?.some((v) => v === 'true' || v === '1') ?? false;
    const rest = Object.fromEntries(Object.entries(filters).filter(([k]) => k !== 'all'));
    const deleted: string[] = [];
    let space = 0;
    for (const v of this.list(rest).Volumes) {
      if (!all && !(ANONYMOUS_LABEL in v.Labels)) continue;
      if (this.usedBy(v.Name).length) continue;
      space += diskUsage(this.dataPath(v.Name));
      fs.rmSync(path.join(this.dir, v.Name), { recursive: true, force: true });
      deleted.push(v.Name);
    }
    return { VolumesDeleted: deleted, SpaceReclaimed: space };
  }

  /**
   * Fills an empty volume from the image's content at `containerPath` (layers top-most
   * first). Does nothing if the volume already has content — Docker copies only into an
   * empty volume, so a reused volume keeps its data. Returns whether it copied.
   */
  prefill(name: string, layersTopFirst: readonly string[], containerPath: string, opts: MergedCopyOptions = {}): boolean {
    const data = this.inspect(name).Mountpoint;
    if (fs.readdirSync(data).length > 0) return false;
    const rel = path.posix.normalize(containerPath).replace(/^\/+/, '');
    if (rel.split('/').includes('..')) throw new InvalidArgumentError(`invalid volume destination: ${containerPath}`);
    copyMerged(layersTopFirst, rel, data, opts);
    return true;
  }
}

function diskUsage(p: string): number {
  const st = fs.lstatSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((sum, n) => sum + diskUsage(path.join(p, n)), 0);
}
