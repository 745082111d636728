// A sandboxed dockerd (Debian's docker.io 20.10) as a third-party referee for Slipway's images:
// every piece of its state — data-root, exec-root (with the containerd it supervises), pidfile,
// socket, trust key, client config — lives in one temp dir, and nothing else on the machine is
// changed: "iptables": false / "ip-forward": false leave the host's firewall and forwarding alone
// (other engineers' privileged tests share this machine), "bridge": "none" means no docker0 is
// ever created, containers get a cgroup parent of their own (removed by cleanup) instead of the
// shared "docker" one, and the only listener is the unix socket (no TCP). The client is Debian's
// /usr/bin/docker 20.10 (/usr/local/bin/docker is a newer stock client) with DOCKER_HOST at the
// sandbox socket and an empty DOCKER_CONFIG, so no user credentials or contexts leak in.
// 127.0.0.0/8 registries are insecure by default in dockerd: pulls from 127.0.0.1:PORT use HTTP.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { unmountAllUnder } from './mounts';

export const DOCKERD_BIN = '/usr/sbin/dockerd';
export const DOCKER_CLIENT_BIN = '/usr/bin/docker';

export interface Dockerd {
  /** The temp dir holding all of the daemon's and the client's state. */
  dir: string;
  /** "unix:///…/docker.sock" */
  host: string;
  /** The environment every client call gets (DOCKER_HOST, DOCKER_CONFIG). */
  env: NodeJS.ProcessEnv;
  /** Runs `docker ARGS` against the sandbox; never throws (look at status/stderr). */
  docker(args: string[], options?: { timeoutMs?: number }): SpawnSyncReturns<string>;
  /** The daemon's log so far (for failure messages). */
  log(): string;
  /** Removes containers, stops dockerd and its containerd, unmounts, removes the cgroups and the dir. */
  cleanup(): Promise<void>;
}

/** Why a sandboxed dockerd cannot be used here, or undefined. */
export function whyNoDockerd(): string | undefined {
  if (!fs.existsSync(DOCKERD_BIN) || !fs.existsSync(DOCKER_CLIENT_BIN)) return `${DOCKERD_BIN} or ${DOCKER_CLIENT_BIN} is missing: apt-get install docker.io`;
  if (process.getuid?.() !== 0) return 'dockerd needs root';
  // dockerd 20.10 uses a system containerd when its socket exists, and would put its state
  // there (outside the sandbox); without one it supervises its own under exec-root.
  if (fs.existsSync('/run/containerd/containerd.sock')) return 'a system containerd is running (/run/containerd/containerd.sock): dockerd would not be sandboxed';
  return undefined;
}

/** The daemon.json for a sandbox in `dir`; pure, so the isolation settings are checked by review and test. */
export function daemonConfig(dir: string, cgroupParent: string): Record<string, unknown> {
  return {
    'data-root': path.join(dir, 'data'),
    'exec-root': path.join(dir, 'exec'),
    pidfile: path.join(dir, 'dockerd.pid'),
    hosts: [`unix://${path.join(dir, 'docker.sock')}`],
    // The default would write /etc/docker/key.json.
    'deprecated-key-path': path.join(dir, 'key.json'),
    iptables: false,
    'ip-forward': false,
    'ip-masq': false,
    bridge: 'none',
    'storage-driver': 'overlay2',
    'cgroup-parent': cgroupParent,
  };
}

/** GET /_ping on the socket: true when the daemon answers 200. */
function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}

const alive = (pid: number): boolean => {
  try { process.kill(pid, 0); return true; } catch { return false; }
};

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** The cgroup dirs named `name` directly under each v1 hierarchy / the v2 root. */
function cgroupDirs(name: string): string[] {
  const root = '/sys/fs/cgroup';
  const candidates = [path.join(root, name), ...fs.readdirSync(root).map((h) => path.join(root, h, name))];
  return candidates.filter((d) => fs.existsSync(d));
}

/** Removes a cgroup tree bottom-up (cgroup dirs are removed with rmdir, never rm -r). */
function removeCgroupTree(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) removeCgroupTree(path.join(dir, e.name));
  }
  fs.rmdirSync(dir);
}

export async function startDockerd(): Promise<Dockerd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-dockerd-'));
  const cgroupParent = path.basename(dir);
  const socketPath = path.join(dir, 'docker.sock');
  const host = `unix://${socketPath}`;
  fs.mkdirSync(path.join(dir, 'client'));
  fs.writeFileSync(path.join(dir, 'client', 'config.json'), '{}\n');
  const configFile = path.join(dir, 'daemon.json');
  fs.writeFileSync(configFile, JSON.stringify(daemonConfig(dir, cgroupParent), null, 2));
  const logFile = path.join(dir, 'dockerd.log');
  const logFd = fs.openSync(logFile, 'a');
  // --config-file only: /etc/docker/daemon.json (if any) is not read.
  const child = spawn(DOCKERD_BIN, ['--config-file', configFile], { stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: host, DOCKER_CONFIG: path.join(dir, 'client') };
  for (const k of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_API_VERSION']) delete env[k];
  const log = () => { try { return fs.readFileSync(logFile, 'utf8'); } catch { return ''; } };
  const docker = (args: string[], options: { timeoutMs?: number } = {}) =>
    spawnSync(DOCKER_CLIENT_BIN, args, { env, encoding: 'utf8', timeout: options.timeoutMs ?? 120_000, cwd: dir, maxBuffer: 64 << 20 });

  const cleanup = async () => {
    if (!fs.existsSync(dir)) return;
    const problems: string[] = [];
    if (child.exitCode === null && child.signalCode === null) {
      // Containers first, so the daemon's shutdown does not wait on them.
      const ids = docker(['ps', '-aq'], { timeoutMs: 30_000 }).stdout?.trim();
      if (ids) docker(['rm', '-f', ...ids.split(/\s+/)], { timeoutMs: 60_000 });
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    // The containerd dockerd supervises exits with it; make sure.
    const containerdPid = path.join(dir, 'exec', 'containerd', 'containerd.pid');
    if (fs.existsSync(containerdPid)) {
      const pid = Number(fs.readFileSync(containerdPid, 'utf8').trim());
      if (pid > 0 && alive(pid)) {
        process.kill(pid, 'SIGTERM');
        if (!(await waitGone(pid, 10_000))) process.kill(pid, 'SIGKILL');
      }
    }
    const left = unmountAllUnder(dir);
    if (left.length) problems.push(`mounts left after umount: ${left.join(', ')}`);
    for (const cg of cgroupDirs(cgroupParent)) {
      try { removeCgroupTree(cg); } catch (e) { problems.push(`cgroup ${cg}: ${(e as Error).message}`); }
    }
    if (!left.length) fs.rmSync(dir, { recursive: true, force: true });
    if (problems.length) throw new Error(`dockerd sandbox ${dir}: ${problems.join('; ')}`);
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const text = log();
      await cleanup();
      throw new Error(`dockerd exited (${child.exitCode ?? child.signalCode}) before answering; its log:\n${text.slice(-4000)}`);
    }
    if (await ping(socketPath)) break;
    if (Date.now() > deadline) {
      const text = log();
      await cleanup();
      throw new Error(`dockerd did not answer on ${socketPath} within 60 s; its log:\n${text.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { dir, host, env, docker, log, cleanup };
}
