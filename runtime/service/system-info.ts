// The bodies of GET /version and GET /info, in Docker's shapes (swagger SystemVersion and
// SystemInfo). Host facts are gathered once by `hostFacts` (which takes the filesystem root
// to read, for tests) and turned into the bodies by pure functions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { API_VERSION, MIN_API_VERSION, PRODUCT_VERSION } from './api-version';
import type { ContainerCounts } from './context';

export interface HostFacts {
  hostname: string;
  kernelVersion: string;
  operatingSystem: string;
  osVersion: string;
  /** Go-style architecture for /version ("amd64", "arm64"). */
  arch: string;
  /** uname -m style for /info ("x86_64", "aarch64"). */
  machine: string;
  ncpu: number;
  memTotal: number;
  cgroupVersion: '1' | '2';
  nodeVersion: string;
}

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

/** cgroup v2 when the unified hierarchy is mounted at /sys/fs/cgroup itself, else v1. */
export function detectCgroupVersion(root = '/'): '1' | '2' {
  return fs.existsSync(path.join(root, 'sys/fs/cgroup/cgroup.controllers')) ? '2' : '1';
}

/** PRETTY_NAME and VERSION_ID from an os-release file's text. */
export function parseOsRelease(text: string): { prettyName?: string; versionId?: string } {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) fields[m[1]] = m[2].replace(/^["']|["']$/g, '');
  }
  return { prettyName: fields.PRETTY_NAME, versionId: fields.VERSION_ID };
}

export function hostFacts(root = '/'): HostFacts {
  let release = {};
  for (const file of ['etc/os-release', 'usr/lib/os-release']) {
    try {
      release = parseOsRelease(fs.readFileSync(path.join(root, file), 'utf8'));
      break;
    } catch {
      // try the next location (os-release(5))
    }
  }
  const { prettyName, versionId } = release as ReturnType<typeof parseOsRelease>;
  return {
    hostname: os.hostname(),
    kernelVersion: os.release(),
    operatingSystem: prettyName ?? 'Linux',
    osVersion: versionId ?? '',
    arch: GO_ARCH[process.arch] ?? process.arch,
    machine: os.machine(),
    ncpu: os.availableParallelism(),
    memTotal: os.totalmem(),
    cgroupVersion: detectCgroupVersion(root),
    nodeVersion: process.version,
  };
}

/** GET /version (swagger SystemVersion). */
export interface SystemVersion {
  Platform: { Name: string };
  Components: Array<{ Name: string; Version: string; Details: Record<string, string> }>;
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  BuildTime: string;
}

export function versionBody(host: HostFacts): SystemVersion {
  const details = {
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: 'slipway',
    // Docker reports its Go version here; ours is the Node the service runs on.
    GoVersion: `node ${host.nodeVersion}`,
    Os: 'linux',
    Arch: host.arch,
    KernelVersion: host.kernelVersion,
    Experimental: 'false',
    BuildTime: '',
  };
  return {
    Platform: { Name: 'Slipway' },
    Components: [{ Name: 'Engine', Version: PRODUCT_VERSION, Details: details }],
    Version: PRODUCT_VERSION,
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: details.GitCommit,
    GoVersion: details.GoVersion,
    Os: 'linux',
    Arch: host.arch,
    KernelVersion: host.kernelVersion,
    BuildTime: '',
  };
}

export interface InfoInputs {
  host: HostFacts;
  stateRoot: string;
  containers: ContainerCounts;
  images: number;
  now: Date;
  /** Registries reached over plain HTTP besides loopback (SLIPWAY_INSECURE_REGISTRIES). */
  insecureRegistries?: readonly string[];
}

export function infoBody({ host, stateRoot, containers, images, now, insecureRegistries = [] }: InfoInputs): Record<string, unknown> {
  return {
    ID: '',
    Containers: containers.total,
    ContainersRunning: containers.running,
    ContainersPaused: containers.paused,
    ContainersStopped: containers.stopped,
    Images: images,
    Driver: 'overlay2',
    DriverStatus: [['Backing Filesystem', 'overlayfs'], ['Supports d_type', 'true']],
    Plugins: { Volume: ['local'], Network: ['host', 'none', 'bridge'], Authorization: null, Log: ['json-file'] },
    MemoryLimit: true,
    SwapLimit: false,
    KernelMemoryTCP: false,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    OomKillDisable: host.cgroupVersion === '1',
    IPv4Forwarding: true,
    BridgeNfIptables: false,
    BridgeNfIp6tables: false,
    Debug: false,
    NFd: 0,
    NGoroutines: 0,
    SystemTime: now.toISOString(),
    LoggingDriver: 'json-file',
    CgroupDriver: 'cgroupfs',
    CgroupVersion: host.cgroupVersion,
    NEventsListener: 0,
    KernelVersion: host.kernelVersion,
    OperatingSystem: host.operatingSystem,
    OSVersion: host.osVersion,
    OSType: 'linux',
    Architecture: host.machine,
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: {
      AllowNondistributableArtifactsCIDRs: [],
      AllowNondistributableArtifactsHostnames: [],
      InsecureRegistryCIDRs: ['127.0.0.0/8'],
      // As dockerd lists its --insecure-registry hostnames: one index entry each, not secure.
      IndexConfigs: Object.fromEntries([
        ['docker.io', { Name: 'docker.io', Mirrors: [], Secure: true, Official: true }],
        ...insecureRegistries.map((r) => [r, { Name: r, Mirrors: [], Secure: false, Official: false }]),
      ]),
      Mirrors: [],
    },
    NCPU: host.ncpu,
    MemTotal: host.memTotal,
    GenericResources: null,
    DockerRootDir: stateRoot,
    HttpProxy: '',
    HttpsProxy: '',
    NoProxy: '',
    Name: host.hostname,
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: PRODUCT_VERSION,
    Runtimes: { slipway: { path: 'slipway' } },
    DefaultRuntime: 'slipway',
    Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: false,
    Isolation: '',
    InitBinary: '',
    ContainerdCommit: { ID: '', Expected: '' },
    RuncCommit: { ID: '', Expected: '' },
    InitCommit: { ID: '', Expected: '' },
    SecurityOptions: host.cgroupVersion === '2' ? ['name=cgroupns'] : [],
    ProductLicense: 'MIT',
    DefaultAddressPools: [],
    Warnings: [],
  };
}
