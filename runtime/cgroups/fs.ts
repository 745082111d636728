// The real CgroupFs: plain synchronous file calls. cgroupfs files are kernel pseudo-files that
// answer at once (no disk behind them), so sync calls cost nothing and keep the code simple.
import fs from 'node:fs';
import type { CgroupFs } from './types';

export const nodeCgroupFs: CgroupFs = {
  read(file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  },
  write(file, value) {
    fs.writeFileSync(file, value);
  },
  mkdir(dir) {
    fs.mkdirSync(dir, { recursive: true });
  },
  rmdir(dir) {
    try {
      fs.rmdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  },
  exists: (p) => fs.existsSync(p),
  kill(pid, signal) {
    try {
      process.kill(pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  },
};

/** "max" → undefined, a number → that number; anything else is an error naming the file. */
export function parseLimit(text: string | undefined, file: string): number | undefined {
  const t = (text ?? '').trim();
  if (t === '' || t === 'max') return undefined;
  const n = Number(t);
  if (!Number.isFinite(n)) throw new Error(`unexpected value "${t}" in ${file}`);
  return n;
}

/** Parses "key value" lines (memory.stat, cpu.stat, memory.events, memory.oom_control). */
export function parseKeyValues(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (text ?? '').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^-?\d+$/.test(v)) out[k] = Number(v);
  }
  return out;
}

/** Parses a cgroup.procs file into pids. */
export function parsePids(text: string | undefined): number[] {
  return (text ?? '').split('\n').filter((l) => /^\d+$/.test(l.trim())).map(Number);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
