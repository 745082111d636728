// OCI image-spec and Docker image-spec shapes that the store reads and writes.
// Specs: /work/shared/specs/opencontainers__image-spec/{descriptor,manifest,image-index,config}.md,
// /work/shared/specs/moby__docker-image-spec/v1.2.md.
import { InvalidArgumentError } from '../errors';

export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

export const MANIFEST_TYPES: readonly string[] = [MediaType.ociManifest, MediaType.dockerManifest];
export const INDEX_TYPES: readonly string[] = [MediaType.ociIndex, MediaType.dockerManifestList];

export const Annotation = {
  /** OCI image-layout's tag annotation: "latest" (or a full reference, as some tools write). */
  refName: 'org.opencontainers.image.ref.name',
  /** containerd's full image name, read by `ctr`, nerdctl and Docker ≥ 25 in OCI archives. */
  containerdName: 'io.containerd.image.name',
  /** Slipway's own: the full normalised reference, "docker.io/library/busybox:latest". */
  slipwayName: 'io.slipway.image.name',
  created: 'org.opencontainers.image.created',
} as const;

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
  urls?: string[];
}

export interface Manifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

/**
 * Docker's HealthcheckConfig, as the image config, the build and a container's Config carry it
 * (one type for all three). Durations in nanoseconds, 0 = the default.
 */
export interface HealthConfig {
  /** [] or null: inherit | ["NONE"] | ["CMD", ...argv] | ["CMD-SHELL", script] */
  Test?: string[] | null;
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

/** The `config` object of an image config (Docker's capitalised names, as the OCI spec keeps them). */
export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  ArgsEscaped?: boolean;
  Healthcheck?: HealthConfig;
  OnBuild?: string[] | null;
  Shell?: string[];
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  variant?: string;
  config?: ContainerConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: HistoryEntry[];
  [extra: string]: unknown;
}

/** Go's GOARCH names, which images use, for Node's process.arch. */
export function hostPlatform(): Platform {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  const p: Platform = { os: 'linux', architecture: arch[process.arch] ?? process.arch };
  if (p.architecture === 'arm64') p.variant = 'v8';
  return p;
}

/** Parses and shape-checks a manifest; `what` names it in errors. */
export function parseManifest(bytes: Buffer, what: string): Manifest {
  const m = parseJson(bytes, what) as Partial<Manifest>;
  if (m.schemaVersion !== 2 || !m.config || !Array.isArray(m.layers)) throw new InvalidArgumentError(`${what} is not an image manifest (schemaVersion 2 with config and layers)`);
  if (m.mediaType !== undefined && !MANIFEST_TYPES.includes(m.mediaType)) throw new InvalidArgumentError(`${what} has unsupported media type ${m.mediaType}`);
  for (const d of [m.config, ...m.layers]) checkDescriptor(d, what);
  return m as Manifest;
}

export function parseIndex(bytes: Buffer, what: string): ImageIndex {
  const i = parseJson(bytes, what) as Partial<ImageIndex>;
  if (i.schemaVersion !== 2 || !Array.isArray(i.manifests)) throw new InvalidArgumentError(`${what} is not an image index (schemaVersion 2 with manifests)`);
  for (const d of i.manifests) checkDescriptor(d, what);
  return i as ImageIndex;
}

export function parseConfig(bytes: Buffer, what: string): ImageConfig {
  const c = parseJson(bytes, what) as Partial<ImageConfig>;
  if (!c.rootfs || !Array.isArray(c.rootfs.diff_ids)) throw new InvalidArgumentError(`${what} is not an image config (no rootfs.diff_ids)`);
  return c as ImageConfig;
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new InvalidArgumentError(`${what} is not valid JSON`, { cause: err });
  }
}

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

export function isDigest(s: unknown): s is string {
  return typeof s === 'string' && DIGEST_RE.test(s);
}

/** Throws unless `digest` is "sha256:" + 64 lower-case hex digits (the only algorithm stored). */
export function checkDigest(digest: string, what = 'digest'): string {
  if (!isDigest(digest)) throw new InvalidArgumentError(`${what} "${digest}" is not a sha256 digest`);
  return digest;
}

function checkDescriptor(d: Partial<Descriptor>, what: string): void {
  if (!d || typeof d.mediaType !== 'string' || typeof d.size !== 'number' || !isDigest(d.digest)) {
    throw new InvalidArgumentError(`${what} has a malformed descriptor ${JSON.stringify(d)}`);
  }
}
