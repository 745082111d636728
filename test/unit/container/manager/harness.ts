// A ContainerManager wired to real stores in temp dirs, cgroup v2 on a temp dir, and a fake
// starter whose processes the test ends by hand or through signals (SIGKILL always ends them;
// other signals only when the fake process does not ignore them).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CgroupsV2, nodeCgroupFs, type CgroupFs } from '../../../../runtime/cgroups';
import type { ContainerEventInput, ExitStatus, ImageProvider, StartedProcess, Starter } from '../../../../runtime/container/manager-types';
import { ContainerManager } from '../../../../runtime/container/manager';
import type { RuntimeSpec } from '../../../../runtime/container/spec';
import { ContainerStore } from '../../../../runtime/container/state';
import { ConflictError, NotFoundError } from '../../../../runtime/errors';
import { VolumeStore } from '../../../../runtime/volumes';

export const SIGNUM: Record<string, number> = { SIGTERM: 15, SIGKILL: 9, SIGQUIT: 3, SIGINT: 2, SIGHUP: 1, SIGUSR1: 10 };

export class FakeProcess implements StartedProcess {
  readonly signals: string[] = [];
  ignore = new Set<string>();
  private settle!: (s: ExitStatus) => void;
  readonly exited = new Promise<ExitStatus>((r) => { this.settle = r; });
  constructor(readonly pid: number, readonly spec: RuntimeSpec, readonly cgroupProcs: string[]) {}
  kill(signal: NodeJS.Signals | number = 'SIGKILL'): void {
    const s = String(signal);
    this.signals.push(s);
    if (s === 'SIGKILL' || !this.ignore.has(s)) this.exit(128 + SIGNUM[s], s as NodeJS.Signals);
  }
  exit(exitCode: number, signal?: NodeJS.Signals): void {
    this.settle(signal ? { exitCode, signal } : { exitCode });
  }
}

export interface Harness {
  root: string;
  manager: ContainerManager;
  store: ContainerStore;
  volumes: VolumeStore;
  cgroupRoot: string;
  events: Array<{ action: string; id: string; attrs: Record<string, string> }>;
  started: FakeProcess[];
  failNextStart?: Error;
  /** Configures each process as it starts. */
  onStart?: (p: FakeProcess) => void;
  layer: string;
  errors: string[];
  /** Port proxies: open ones by host port; ports listed in `busy` are "in use". */
  openPorts: Map<number, number>;
  busy: Set<number>;
  cleanup(): void;
}

export function makeHarness(opts: { startTimeOf?: (pid: number) => number | undefined; signal?: (pid: number, s: NodeJS.Signals) => void; root?: string } = {}): Harness {
  const root = opts.root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-mgr-'));
  const cgroupRoot = path.join(root, 'cgroup');
  fs.mkdirSync(cgroupRoot, { recursive: true });
  fs.writeFileSync(path.join(cgroupRoot, 'cgroup.controllers'), 'cpu memory pids');
  // cgroupfs stand-in: rmdir of a directory with files, and the kernel's answer to a freeze.
  const cgfs: CgroupFs = {
    ...nodeCgroupFs,
    rmdir: (d) => fs.rmSync(d, { recursive: true, force: true }),
    write: (file, value) => {
      fs.writeFileSync(file, value);
      if (file.endsWith('cgroup.freeze')) fs.writeFileSync(path.join(path.dirname(file), 'cgroup.events'), `frozen ${value}\n`);
    },
    kill: () => undefined,
  };
  const layer = path.join(root, 'image-layer');
  fs.mkdirSync(path.join(layer, 'etc'), { recursive: true });
  fs.mkdirSync(path.join(layer, 'var/data'), { recursive: true });
  fs.writeFileSync(path.join(layer, 'var/data/seed.txt'), 'from the image');
  fs.writeFileSync(path.join(layer, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nweb:x:33:33::/srv:/bin/sh\n');
  fs.writeFileSync(path.join(layer, 'etc/group'), 'root:x:0:\nweb:x:33:\n');
  const images: ImageProvider = {
    resolve: async (ref) => {
      if (ref !== 'busybox' && ref !== 'web') throw new NotFoundError(`No such image: ${ref}`);
      return { id: `sha256:${'1'.repeat(64)}`, layers: [layer], config: ref === 'web' ? { Cmd: ['httpd'], User: 'web', Volumes: { '/var/data': {} }, StopSignal: 'SIGQUIT' } : { Cmd: ['sh'] } };
    },
  };
  const h = { root, cgroupRoot, events: [], started: [], layer, errors: [], openPorts: new Map(), busy: new Set() } as unknown as Harness;
  const starter: Starter = {
    start: async (spec, o) => {
      if (h.failNextStart) {
        const err = h.failNextStart;
        h.failNextStart = undefined;
        throw err;
      }
      const p = new FakeProcess(1000 + h.started.length, spec, o.cgroupProcs);
      h.onStart?.(p);
      h.started.push(p);
      return p;
    },
  };
  h.store = new ContainerStore(root);
  h.volumes = new VolumeStore(root, { usedBy: (name) => h.store.list().filter((r) => ContainerManager.volumesOf(r).includes(name)).map((r) => r.id) });
  h.manager = new ContainerManager({
    store: h.store, volumes: h.volumes, cgroups: new CgroupsV2(cgroupRoot, cgfs), starter, images,
    publish: (e: ContainerEventInput) => h.events.push({ action: e.Action, id: e.Actor.ID, attrs: e.Actor.Attributes ?? {} }),
    host: { cpus: 2, hostname: 'host', memory: 8e9 },
    ports: {
      reserve: async (m) => {
        const hostPort = m.hostPort || 40000 + h.openPorts.size;
        if (h.busy.has(hostPort) || h.openPorts.has(hostPort)) throw new ConflictError(`listen tcp ${m.hostIp}:${hostPort}: bind: address already in use`);
        // 0 until attached: which container's namespace the proxy serves.
        h.openPorts.set(hostPort, 0);
        return {
          hostIp: m.hostIp, hostPort, containerPort: m.containerPort,
          attach: async (pid) => { h.openPorts.set(hostPort, pid); },
          close: async () => { h.openPorts.delete(hostPort); },
        };
      },
    },
    startTimeOf: opts.startTimeOf ?? (() => 42),
    signal: opts.signal,
    adoptPollMs: 20,
    onError: (ctx, err) => h.errors.push(`${ctx}: ${String(err)}`),
  });
  // A test may end with containers "running": let go of them as a service shutdown does (their
  // log followers' watchers would keep the test process alive), then drop the state dir.
  h.cleanup = () => { void h.manager.detach(); fs.rmSync(root, { recursive: true, force: true }); };
  return h;
}
