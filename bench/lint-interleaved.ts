// Lint before/after, interleaved in one process (not a test): the lint engine of another tree
// (e.g. an older commit) against this one, alternating single lint() calls on the largest
// real-world Dockerfile, so both see the same load on a shared machine.
// Prepare the other tree: git archive COMMIT runtime | tar -x -C /tmp/old && ln -s $PWD/node_modules /tmp/old/
// Run: npx tsx bench/lint-interleaved.ts /tmp/old [calls]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { requireBundled } from './bundled';

type Lint = (source: string) => unknown;

function main(): void {
  const other = process.argv[2];
  if (!other) throw new Error('usage: npx tsx bench/lint-interleaved.ts OTHER_TREE [calls]');
  // Both as they ship: one esbuild bundle each.
  const before = requireBundled<{ lint: Lint }>(path.resolve(other, 'runtime/lint/index.ts')).lint;
  const after = requireBundled<{ lint: Lint }>(path.join(__dirname, '../runtime/lint/index.ts')).lint;
  const calls = Number(process.argv[3] ?? 1000);
  const src = readFileSync('/work/shared/corpora/real-world/moby__moby/Dockerfile', 'utf8');
  for (let i = 0; i < 100; i++) { before(src); after(src); }
  const times: Record<string, number[]> = { before: [], after: [] };
  const cpu: Record<string, number> = { before: 0, after: 0 };
  const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`node ${process.version}; load at start ${load()}`);
  for (let i = 0; i < calls; i++) {
    // Alternate which goes first, so neither always runs right after the other's garbage.
    const order: [string, Lint][] = i % 2 ? [['before', before], ['after', after]] : [['after', after], ['before', before]];
    for (const [name, fn] of order) {
      const c = process.cpuUsage();
      const t = performance.now();
      fn(src);
      times[name].push(performance.now() - t);
      const d = process.cpuUsage(c);
      cpu[name] += d.user + d.system;
    }
  }
  for (const name of ['before', 'after']) {
    const s = times[name].sort((a, b) => a - b);
    const q = (p: number): string => s[Math.floor(p * (s.length - 1))].toFixed(2);
    console.log(`${name.padEnd(7)} median ${q(0.5)} ms, p25 ${q(0.25)}, p10 ${q(0.1)}, min ${q(0)}; CPU per call ${(cpu[name] / calls / 1000).toFixed(2)} ms`);
  }
  console.log(`load at end ${load()}`);
}

main();
