// A sandboxed podman for third-party checks of Slipway's images: its own containers.conf,
// storage.conf and registries.conf in a temp dir (CONTAINERS_CONF / CONTAINERS_STORAGE_CONF /
// CONTAINERS_REGISTRIES_CONF), so it never reads or writes the machine's podman storage that
// other engineers' benchmarks use. The conf carries this machine's quirks (DESIGN.md "The peers
// on this machine"): rlimits at or below the hard limit, cgroupfs and a file events log (no
// systemd), and runc as the runtime because crun 1.8 refuses the hybrid cgroup layout here.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unmountAllUnder } from './mounts';

export const PODMAN_BIN = '/usr/bin/podman';

export interface Podman {
  /** The temp dir holding the confs, the storage (root/), the run root (run/) and tmp/. */
  dir: string;
  /** The environment every podman call gets (the three conf variables). */
  env: NodeJS.ProcessEnv;
  /** Runs `podman ARGS` in the sandbox; never throws (look at status/stderr). */
  podman(args: string[], options?: { timeoutMs?: number }): SpawnSyncReturns<string>;
  /** Removes every container and image, unmounts what podman left under `dir`, removes `dir`. */
  cleanup(): void;
}

/** Why podman cannot be used here, or undefined. */
export function whyNoPodman(): string | undefined {
  if (!fs.existsSync(PODMAN_BIN)) return `${PODMAN_BIN} is missing: apt-get install podman`;
  if (process.getuid?.() !== 0) return 'podman with its own storage needs root here';
  if (!fs.existsSync('/usr/sbin/runc') && !fs.existsSync('/usr/bin/runc')) return 'runc is missing (podman runs containers with it here): apt-get install runc';
  return undefined;
}

/** TOML basic string: the temp paths hold no quotes, but keep the conf valid whatever they are. */
const toml = (s: string) => JSON.stringify(s);

export function confFiles(dir: string): Record<string, string> {
  return {
    'containers.conf': [
      '[containers]',
      // Root here lacks CAP_SYS_RESOURCE and the hard nofile limit is 20000: podman's default
      // (1048576) fails every run.
      'default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]',
      '[engine]',
      'runtime = "runc"',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      `events_logfile_path = ${toml(path.join(dir, 'events.log'))}`,
      // Defaults are /run/libpod and /var/lib/containers: shared with any other podman user.
      `tmp_dir = ${toml(path.join(dir, 'tmp'))}`,
      `static_dir = ${toml(path.join(dir, 'root', 'libpod'))}`,
      `volume_path = ${toml(path.join(dir, 'root', 'volumes'))}`,
      '',
    ].join('\n'),
    'storage.conf': [
      '[storage]',
      'driver = "overlay"',
      `graphroot = ${toml(path.join(dir, 'root'))}`,
      `runroot = ${toml(path.join(dir, 'run'))}`,
      '',
    ].join('\n'),
    // No search registries: a short name never reaches out or prompts.
    'registries.conf': 'unqualified-search-registries = []\nshort-name-mode = "permissive"\n',
  };
}

export function startPodman(): Podman {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-podman-'));
  for (const [name, text] of Object.entries(confFiles(dir))) fs.writeFileSync(path.join(dir, name), text);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CONTAINERS_CONF: path.join(dir, 'containers.conf'),
    CONTAINERS_STORAGE_CONF: path.join(dir, 'storage.conf'),
    CONTAINERS_REGISTRIES_CONF: path.join(dir, 'registries.conf'),
  };
  const podman = (args: string[], options: { timeoutMs?: number } = {}) =>
    spawnSync(PODMAN_BIN, args, { env, encoding: 'utf8', timeout: options.timeoutMs ?? 120_000, cwd: dir });
  return {
    dir, env, podman,
    cleanup() {
      if (!fs.existsSync(dir)) return;
      // podman rm/rmi unmount the overlay layers they mounted; what is left after a crash is
      // unmounted by hand, deepest first.
      podman(['rm', '--all', '--force'], { timeoutMs: 30_000 });
      podman(['rmi', '--all', '--force'], { timeoutMs: 30_000 });
      const left = unmountAllUnder(dir);
      if (left.length) throw new Error(`podman sandbox ${dir}: mounts left after umount: ${left.join(', ')}`);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

