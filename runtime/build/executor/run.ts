// RUN: the step's command in a Slipway container on the current layer stack (overlay: lower =
// the stack under the build's init layer, a fresh upper dir that becomes the step's layer).
// Docker's defaults: its capability set, masked /proc paths, PID/IPC/UTS/mount namespaces, the
// host's network unless `--network=none`; the step's ENV, USER, WORKDIR and SHELL (already in
// the plan). Output is written by the kernel into two files that are followed and cut into
// lines for the build's step-log events.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../errors';
import { DEFAULT_CAPABILITIES, DEFAULT_MASKED_PATHS, DEFAULT_PATH_ENV, DEFAULT_READONLY_PATHS, DEFAULT_SHM_SIZE, defaultMounts } from '../../container/config/defaults';
import { resolveUser } from '../../container/config/user';
import type { MountSpec, RuntimeSpec } from '../../container/spec';
import type { StartOptions } from '../../container/start/start';
import { startContainer } from '../../container/start/start';
import type { RunPlan } from '../plan';

export interface RunStepInput {
  run: RunPlan;
  user?: string;
  workdir?: string;
  hostname: string;
  /** Lower dirs, topmost first, with the build's init layer already on top. */
  lowers: string[];
  /** Layer dirs to read /etc/passwd and /etc/group from (topmost first). */
  imageLowers: string[];
  /** The step's scratch dir: upper, work, merged, stdio files. */
  dir: string;
  upper: string;
  work: string;
  /** RUN --mount: extra mounts (run-mounts.ts), after Docker's defaults. */
  mounts?: MountSpec[];
  /** Extra KEY=VALUE pairs (secrets given as env=); they win over ENV of the same name. */
  env?: string[];
  onOutput(stream: 'stdout' | 'stderr', line: string): void;
  signal?: AbortSignal;
}

export type StartDeps = Omit<StartOptions, 'cgroupProcs'>;

/** A file as the layer stack shows it (topmost layer that has it; a whiteout hides it). */
export function readFromLayers(lowers: readonly string[], rel: string): string | undefined {
  for (const dir of lowers) {
    let st: fs.Stats;
    try { st = fs.lstatSync(path.join(dir, rel)); } catch { continue; }
    if (st.isCharacterDevice() && st.rdev === 0) return undefined;
    if (!st.isFile()) return undefined;
    return fs.readFileSync(path.join(dir, rel), 'utf8');
  }
  return undefined;
}

export function runSpec(input: RunStepInput): RuntimeSpec {
  const user = resolveUser(input.user ?? '', readFromLayers(input.imageLowers, 'etc/passwd'), readFromLayers(input.imageLowers, 'etc/group'));
  const extra = new Set((input.env ?? []).map((e) => e.slice(0, e.indexOf('='))));
  const env = [...input.run.env.filter((e) => !extra.has(e.slice(0, e.indexOf('=')))), ...(input.env ?? [])];
  if (!env.some((e) => e.startsWith('PATH='))) env.unshift(DEFAULT_PATH_ENV);
  if (!env.some((e) => e.startsWith('HOME='))) env.push(`HOME=${user.home || '/'}`);
  const network = input.run.network ?? 'default';
  if (!['default', 'host', 'none'].includes(network)) throw new InvalidArgumentError(`RUN --network=${network} is not supported (default, host or none)`);
  const mounts: MountSpec[] = defaultMounts({ privileged: false, shmSize: DEFAULT_SHM_SIZE });
  for (const [i, f] of input.run.files.entries()) {
    // Heredoc scripts with #! live under /dev (a tmpfs), so they never enter the layer.
    const host = path.join(input.dir, `file-${i}`);
    fs.writeFileSync(host, f.content, { mode: f.mode });
    fs.chmodSync(host, f.mode);
    mounts.push({ destination: f.path, type: 'bind', source: host, options: ['bind', 'ro'] });
  }
  mounts.push(...(input.mounts ?? []));
  const caps = [...DEFAULT_CAPABILITIES];
  return {
    ociVersion: '1.0.2',
    process: {
      args: input.run.args,
      env,
      cwd: input.workdir || '/',
      user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids, umask: 0o022 },
      capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
      noNewPrivileges: false,
    },
    root: { path: path.join(input.dir, 'merged') },
    hostname: input.hostname,
    mounts,
    linux: {
      // No bridge exists: "default" is the host's network, as BuildKit's host mode.
      namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, ...(network === 'none' ? [{ type: 'network' as const }] : [])],
      maskedPaths: [...DEFAULT_MASKED_PATHS],
      readonlyPaths: [...DEFAULT_READONLY_PATHS],
      rootfsPropagation: 'rprivate',
    },
    slipway: {
      overlay: { lowerDirs: input.lowers, upperDir: input.upper, workDir: input.work },
      stdio: { stdin: 'null', stdoutFile: path.join(input.dir, 'stdout'), stderrFile: path.join(input.dir, 'stderr') },
    },
  };
}

/** Follows a file that another process appends to, calling `onLine` per complete line. */
class LineFollower {
  private offset = 0;
  private rest = '';
  constructor(private readonly file: string, private readonly onLine: (line: string) => void) {}

  poll(final = false): void {
    let fd: number;
    try { fd = fs.openSync(this.file, 'r'); } catch { return; }
    try {
      const buf = Buffer.alloc(64 * 1024);
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        this.rest += buf.subarray(0, n).toString('utf8');
      }
    } finally {
      fs.closeSync(fd);
    }
    const lines = this.rest.split('\n');
    this.rest = lines.pop() ?? '';
    for (const l of lines) this.onLine(l);
    if (final && this.rest !== '') { this.onLine(this.rest); this.rest = ''; }
  }
}

/** Runs the step; resolves with its exit status (the caller turns non-zero into the build error). */
export async function runStep(input: RunStepInput, deps: StartDeps): Promise<{ exitCode: number; signal?: string }> {
  const spec = runSpec(input);
  const followers = [
    new LineFollower(path.join(input.dir, 'stdout'), (l) => input.onOutput('stdout', l)),
    new LineFollower(path.join(input.dir, 'stderr'), (l) => input.onOutput('stderr', l)),
  ];
  const proc = await startContainer(spec, deps);
  const abort = () => proc.kill('SIGKILL');
  input.signal?.addEventListener('abort', abort, { once: true });
  const timer = setInterval(() => { for (const f of followers) f.poll(); }, 100);
  try {
    const status = await proc.exited;
    return { exitCode: status.exitCode, ...(status.signal ? { signal: String(status.signal) } : {}) };
  } finally {
    clearInterval(timer);
    input.signal?.removeEventListener('abort', abort);
    for (const f of followers) f.poll(true);
  }
}
