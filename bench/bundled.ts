// Load a module of this repository the way it ships: one esbuild bundle (as dist/ is), not
// tsx's module-by-module transform, whose exports are getters on every cross-module call (it
// made lint ~1.5x slower than the bundled code). For the benchmarks only.
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Bundles `entry` (a .ts path) to a temporary CommonJS file and requires it; the file is removed. */
export function requireBundled<T>(entry: string): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'slipway-bench-'));
  try {
    const outfile = path.join(dir, 'bundle.cjs');
    buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'error' });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(outfile) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
