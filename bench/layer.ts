// Benchmark: layer creation (walk + xattrs + tar + gzip -1 + both sha256s) against
// `tar c | gzip -1 | sha256sum` on the same data, in one run with interleaved repetitions:
// 10,000 small files in 100 directories, and one 500 MB compressible file. Slipway is timed in
// this process (warm JIT and page cache, as in the service) with each SpecialFs: the host tools
// (getfattr, the old default) and the syscalls (the new one). Prints medians and
// baseline/slipway ratios (≥ 0.7 is the target) as JSON, with the median CPU time (user+sys of
// every thread or process) beside each: on a loaded machine it says more than the wall clock.
// Usage: bench/layer.sh [small-runs] [big-runs]   (root not needed; tar and gzip on PATH)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { HostSpecialFs, type SpecialFs } from '../runtime/layer/special-fs';
import { SyscallSpecialFs } from '../runtime/layer/syscall-special-fs';
import { treeItemsSync } from '../runtime/layer/tree';
import { writeLayer } from '../runtime/layer/writer';
import { LibcSyscalls } from '../runtime/linux/libc';

const sink = () => new Writable({ write(_c, _e, cb) { cb(); } });
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const contenders: Record<string, SpecialFs> = { host: new HostSpecialFs(), syscalls: new SyscallSpecialFs(new LibcSyscalls()) };

/** Wall and CPU (user+sys, every thread or child process) milliseconds of one run. */
interface Sample { wall: number; cpu: number }

function baseline(dir: string): Sample {
  // bash's `time` counts every process of the pipeline, so its CPU compares with ours.
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%R %U %S'; time (tar -C '${dir}' -cf - . | gzip -1 | sha256sum > /dev/null)`], { encoding: 'utf8' });
  const [real, user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  if (r.status !== 0 || [real, user, sys].some(Number.isNaN)) throw new Error(`baseline failed: ${r.stderr}`);
  return { wall: real * 1000, cpu: (user + sys) * 1000 };
}

async function timeOurs(dir: string, special: SpecialFs): Promise<Sample> {
  const t = performance.now(), c = process.cpuUsage();
  await writeLayer(treeItemsSync(dir, special), sink());
  const used = process.cpuUsage(c);
  return { wall: performance.now() - t, cpu: (used.user + used.system) / 1000 };
}

async function compare(dir: string, runs: number) {
  const samples: Record<string, Sample[]> = { tar: [] };
  for (const name of Object.keys(contenders)) {
    samples[name] = [];
    await timeOurs(dir, contenders[name]); // warm the page cache and the JIT
  }
  for (let r = 0; r < runs; r++) {
    samples.tar.push(baseline(dir));
    for (const [name, special] of Object.entries(contenders)) samples[name].push(await timeOurs(dir, special));
  }
  const wall = (s: Sample[]) => median(s.map((x) => x.wall)), cpu = (s: Sample[]) => median(s.map((x) => x.cpu));
  const base = wall(samples.tar);
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, { medianMs: Math.round(wall(s)), ratio: +(base / wall(s)).toFixed(2), cpuMs: Math.round(cpu(s)) }]));
}

async function main(): Promise<void> {
  const smallRuns = Number(process.argv[2] ?? 7), bigRuns = Number(process.argv[3] ?? 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bench-layer-'));
  try {
    const small = path.join(dir, 'small');
    for (let i = 0; i < 10_000; i++) {
      const d = path.join(small, `d${i % 100}`);
      if (i < 100) fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, `f${i}.txt`), `line ${i} `.repeat(5 + (i % 200)));
    }
    const small10k = await compare(small, smallRuns);
    console.log(JSON.stringify({ data: '10,000 small files', loadavg: os.loadavg()[0], ...small10k }));
    fs.rmSync(small, { recursive: true }); // made after the small runs, so its writeback does not slow them
    if (bigRuns <= 0) return;
    const big = path.join(dir, 'big');
    fs.mkdirSync(big);
    const line = Buffer.from('hello world, some compressible text for the benchmark\n');
    const block = Buffer.concat(Array.from({ length: 1 << 14 }, (_, i) => Buffer.concat([line, Buffer.from(String(i))])));
    const fd = fs.openSync(path.join(big, 'file.bin'), 'w');
    for (let written = 0; written < 500e6; written += block.length) fs.writeSync(fd, block);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    console.log(JSON.stringify({ data: 'one 500 MB file', loadavg: os.loadavg()[0], ...await compare(big, bigRuns) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
