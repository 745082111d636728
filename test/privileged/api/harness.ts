// A real service (dist/service.js) on a temp SLIPWAY_ROOT/SLIPWAY_SOCKET with a busybox image
// imported into its image store, for the container API tests driven by the stock docker CLI
// and by `slipway`. Everything a sandbox made is checked and removed by `cleanup()`:
// service and container processes, mounts, cgroups, the temp dir.
import { after, before } from 'node:test';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImageStore, importRootfs } from '../../../runtime/image';
import { unmountAllUnder } from '../../helpers/mounts';
import { makeBusyboxRootfs } from '../../helpers/rootfs';

export const repo = path.resolve(__dirname, '..', '..', '..');
export const slipwayBin = path.join(repo, 'bin', 'slipway');
export const DOCKER = '/usr/local/bin/docker';
export const IMAGE = 'slipway-test/busybox:latest';

export interface Sandbox {
  dir: string;
  state: string;
  socket: string;
  env: NodeJS.ProcessEnv;
  /** Runs a CLI (docker or slipway) against this sandbox's service. */
  run(cmd: string, args: string[], opts?: { input?: string; timeout?: number }): SpawnSyncReturns<string>;
  docker(...args: string[]): SpawnSyncReturns<string>;
  slipway(...args: string[]): SpawnSyncReturns<string>;
  /** Starts the service in the background (slipway service start). */
  startService(): void;
  /** kill -9 of the service process. */
  killService(): void;
  servicePid(): number | undefined;
  cleanup(): Promise<void>;
}

/** A sandbox whose image store holds the busybox image as IMAGE (imported before the service starts). */
export async function sandbox(): Promise<Sandbox> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-api-'));
  const state = path.join(dir, 'state');
  const socket = path.join(dir, 'run', 'slipway.sock');
  const rootfs = makeBusyboxRootfs(path.join(dir, 'rootfs')).path;
  fs.writeFileSync(path.join(rootfs, 'index.html'), 'hello from slipway\n');
  const store = await ImageStore.open(path.join(state, 'image'));
  const tar = spawn('tar', ['-C', rootfs, '--numeric-owner', '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await importRootfs(store, tar.stdout, { names: [IMAGE], changes: ['CMD ["sh"]'] });
  const env = { ...process.env, SLIPWAY_ROOT: state, SLIPWAY_SOCKET: socket, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: path.join(dir, 'docker-config') };
  const run = (cmd: string, args: string[], opts: { input?: string; timeout?: number } = {}) =>
    spawnSync(cmd, args, { env, encoding: 'utf8', timeout: opts.timeout ?? 30_000, input: opts.input });
  const servicePid = () => {
    try {
      const pid = JSON.parse(fs.readFileSync(path.join(state, 'service.lock'), 'utf8')).pid as number;
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  };
  const box: Sandbox = {
    dir, state, socket, env, run, servicePid,
    docker: (...args) => run(DOCKER, args),
    slipway: (...args) => run(slipwayBin, args),
    startService() {
      const r = run(slipwayBin, ['service', 'start']);
      if (r.status !== 0) throw new Error(`slipway service start failed: ${r.stderr}`);
    },
    killService() {
      const pid = servicePid();
      if (pid) process.kill(pid, 'SIGKILL');
    },
    async cleanup() {
      // Containers first (through the service, so cgroups and mounts go the normal way).
      const ids = run(slipwayBin, ['ps', '-aq']).stdout?.split('\n').filter(Boolean) ?? [];
      if (ids.length) run(slipwayBin, ['rm', '-f', ...ids]);
      const pid = servicePid();
      if (pid) process.kill(pid, 'SIGKILL');
      unmountAllUnder(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return box;
}

export { mountsUnder } from '../../helpers/mounts';

/** Slipway's cgroup directories of a container id, on every hierarchy that has one. */
export function cgroupDirsOf(id: string): string[] {
  const out: string[] = [];
  for (const h of ['/sys/fs/cgroup', ...safeList('/sys/fs/cgroup').map((d) => `/sys/fs/cgroup/${d}`)]) {
    const p = path.join(h, 'slipway', id);
    if (fs.existsSync(p)) out.push(p);
  }
  return out;
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

export async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The sandbox of one test file, with its service started: made in a `before` hook (as root, and
 * only when `when` holds — a tier helper then reports the missing precondition), cleaned up in
 * `after`; `ready` runs once it is up (containers the file's tests share). The returned object
 * stands for that sandbox; using it before the hook ran (or when it was skipped) throws.
 */
export function sandboxForFile(opts: { when?: () => boolean; ready?: (box: Sandbox) => void | Promise<void> } = {}): Sandbox {
  let current: Sandbox | undefined;
  before(async () => {
    if (process.getuid?.() !== 0 || (opts.when && !opts.when())) return;
    current = await sandbox();
    current.startService();
    await opts.ready?.(current);
  });
  after(async () => { await current?.cleanup(); });
  return new Proxy({} as Sandbox, {
    get(_target, key) {
      if (!current) throw new Error('no sandbox for this file: it needs root (and its own preconditions)');
      const value = current[key as keyof Sandbox];
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
