// The service's ProbeRunner: a health check runs inside the container as an exec instance,
// the way dockerd's cmdProbe does (the service's ExecRegistry.probe: the container's user,
// working directory and environment, its cgroups, and the exec_create / exec_start /
// exec_die events Docker shows for every probe), with stdout and stderr gathered into one
// buffer (capped: only the first 4096 bytes are kept) and SIGKILL at the timeout or when the
// monitor stops (container paused or gone).
import type { ExecProcess } from '../exec/exec';
import type { ProbeOutcome, ProbeRunner } from './monitor';
import { MAX_OUTPUT_BYTES } from './schedule';

export type StartExec = (id: string, argv: string[]) => Promise<ExecProcess>;

/** Output kept: one byte over the cap tells the truncation mark is due. */
const KEEP = MAX_OUTPUT_BYTES + 1;

export function execProbe(startExec: StartExec): ProbeRunner {
  return async (id, argv, timeoutMs, signal) => {
    if (signal.aborted) return { exitCode: -1, output: Buffer.alloc(0), timedOut: false };
    const proc = await startExec(id, argv);
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (b: Buffer) => {
      if (size >= KEEP) return;
      chunks.push(b.subarray(0, KEEP - size));
      size += Math.min(b.length, KEEP - size);
    };
    const streams = [proc.stdout, proc.stderr].filter((s) => s !== undefined);
    for (const s of streams) {
      s.on('data', collect);
      s.on('error', () => undefined);
    }
    let timedOut = false;
    const kill = () => {
      try {
        proc.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => { timedOut = true; kill(); }, timeoutMs);
    signal.addEventListener('abort', kill, { once: true });
    try {
      const status = await proc.exited;
      // The pipes may still hold the last bytes; a probe that left a child holding them open
      // must not hold the check: wait briefly, then let go.
      await Promise.race([Promise.all(streams.map((s) => new Promise((r) => (s.readableEnded || s.destroyed ? r(undefined) : s.once('close', r))))), delay(100)]);
      const out: ProbeOutcome = { exitCode: status.exitCode, output: Buffer.concat(chunks), timedOut };
      return out;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
      for (const s of streams) s.destroy();
    }
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
