// Lint benchmark (not a test): Slipway's lint() against dockerfile-utils' validate() on the
// same files, in one run — the largest real-world Dockerfile (median of single runs after a
// warm-up; target ≤ 5 ms) and the whole corpus (median of full passes; target < 1 s).
// Run: npx tsx bench/lint.ts [corpus-dir]. Compare numbers only within one run: the machine
// is shared and noisy, so the load average is printed with them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { requireBundled } from './bundled';

// Slipway's linter as it ships (an esbuild bundle); dockerfile-utils as npm ships it.
const { lint } = requireBundled<typeof import('../runtime/lint/index')>(path.join(__dirname, '../runtime/lint/index.ts'));

const dir = process.argv[2] ?? '/work/shared/corpora/real-world';
const files: { name: string; source: string }[] = [];
for (const repo of readdirSync(dir).sort()) {
  const p = path.join(dir, repo);
  if (!statSync(p).isDirectory()) continue;
  for (const f of readdirSync(p).sort()) if (!f.includes('dockerignore')) files.push({ name: `${repo}/${f}`, source: readFileSync(path.join(p, f), 'utf8') });
}
const largest = files.reduce((a, b) => (b.source.length > a.source.length ? b : a));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// The main thread's own CPU time (Node >= 23.9): unlike process.cpuUsage() it leaves out V8's
// parallel GC helper threads, and unlike wall time it does not count waiting for a busy CPU.
const threadCpu = (process as unknown as { threadCpuUsage?: (prev?: NodeJS.CpuUsage) => NodeJS.CpuUsage }).threadCpuUsage?.bind(process);

/**
 * Wall-clock median and minimum, the median of process CPU time, and (where Node has it) of the
 * main thread's CPU time — the last two are less sensitive to a busy machine.
 */
function time(fn: () => unknown, runs: number, warmup: number): { median: number; min: number; cpu: number; thread?: number } {
  for (let i = 0; i < warmup; i++) fn();
  const ts: number[] = [], cpu: number[] = [], thread: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const tc = threadCpu?.();
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
    if (tc) { const e = threadCpu!(tc); thread.push((e.user + e.system) / 1000); }
  }
  return { median: median(ts), min: Math.min(...ts), cpu: median(cpu), thread: thread.length > 0 ? median(thread) : undefined };
}

const tools = {
  'slipway lint': (s: string) => lint(s).length,
  'dockerfile-utils validate': (s: string) => validate(s).length,
};

console.log(`node ${process.version}; corpus: ${files.length} Dockerfiles from ${dir}; largest: ${largest.name} (${largest.source.length} bytes)`);
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
type Timing = ReturnType<typeof time>;
const rows: Record<string, { big: Timing; corpus: Timing; findings: number; bigFindings: number }> = {};
for (const [name, fn] of Object.entries(tools)) {
  const big = time(() => fn(largest.source), 400, 100);
  const corpus = time(() => { for (const f of files) fn(f.source); }, 7, 2);
  const findings = files.reduce((n, f) => n + fn(f.source), 0);
  rows[name] = { big, corpus, findings, bigFindings: fn(largest.source) };
}
console.log('');
console.log('tool                        largest: median (min) [cpu{thread}]    corpus: median (min) [cpu]    findings (largest / corpus)');
for (const [name, r] of Object.entries(rows)) {
  const big = `${r.big.median.toFixed(2)} ms (${r.big.min.toFixed(2)}) [${r.big.cpu.toFixed(2)}${r.big.thread === undefined ? '' : `{${r.big.thread.toFixed(2)}}`}]`;
  const all = `${r.corpus.median.toFixed(0)} ms (${r.corpus.min.toFixed(0)}) [${r.corpus.cpu.toFixed(0)}]`;
  console.log(`${name.padEnd(28)}${big.padEnd(39)}${all.padEnd(30)}${r.bigFindings} / ${r.findings}`);
}
const [a, b] = Object.values(rows);
console.log('');
console.log(`ratio slipway / dockerfile-utils: largest ${(a.big.median / b.big.median).toFixed(2)}x, corpus ${(a.corpus.median / b.corpus.median).toFixed(2)}x`);
console.log(`targets: largest ≤ 5 ms → ${a.big.median <= 5 ? 'met' : 'NOT met'}; corpus < 1000 ms → ${a.corpus.median < 1000 ? 'met' : 'NOT met'}`);
console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
