// The editor's per-version work (not a test): what it costs to serve one new version of a
// Dockerfile — the language features' model (hover, folding, symbols, completion) plus a lint —
// with two parses (buildModel(text) + lint(text), as the editor did before) against one
// (a LintContext shared by both, extension/language/documents.ts); and a re-lint of the same
// version (settings changed, a base image's environment arrived): lint(text) against
// lint(ctx, options) on the version's kept context. The paths alternate call by call in one
// process, so both see the same load on a shared machine.
// Run: npx tsx bench/lint-editor.ts [Dockerfile] [calls]
import { buildSync } from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

type Lint = typeof import('../runtime/lint/index');
type ModelModule = typeof import('../extension/language/model');

/** The lint engine and the model as they ship: one esbuild bundle, as dist/ is (see bundled.ts). */
function loadBundle(): { lint: Lint['lint']; LintContext: Lint['LintContext']; buildModel: ModelModule['buildModel'] } {
  const root = path.join(__dirname, '..');
  const dir = mkdtempSync(path.join(tmpdir(), 'slipway-bench-'));
  try {
    const outfile = path.join(dir, 'bundle.cjs');
    buildSync({
      stdin: { contents: "export { lint, LintContext } from './runtime/lint/index';\nexport { buildModel } from './extension/language/model';\n", resolveDir: root, loader: 'ts' },
      bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'error',
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(outfile) as ReturnType<typeof loadBundle>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function largestOfCorpus(dir: string): string {
  let best = '';
  let size = -1;
  for (const repo of readdirSync(dir)) {
    const p = path.join(dir, repo);
    if (!statSync(p).isDirectory()) continue;
    for (const f of readdirSync(p)) {
      const s = statSync(path.join(p, f)).size;
      if (!f.includes('dockerignore') && s > size) { best = path.join(p, f); size = s; }
    }
  }
  return best;
}

function main(): void {
  const file = process.argv[2] ?? largestOfCorpus('/work/shared/corpora/real-world');
  const calls = Number(process.argv[3] ?? 1000);
  const text = readFileSync(file, 'utf8');
  const { lint, LintContext, buildModel } = loadBundle();
  // Options as the editor passes them: settings' severities, a base-image environment lookup.
  const options = { file: 'Dockerfile', config: { severities: { DL3008: 'error' as const } }, baseImageEnv: () => undefined };
  const relintOptions = { ...options, baseImageEnv: () => ({ PATH: '/usr/bin:/bin' }) };
  const kept = new LintContext(text, { file: 'Dockerfile' });
  buildModel(kept);

  const paths: Record<string, () => unknown> = {
    'new version, two parses': () => { buildModel(text); return lint(text, options); },
    'new version, one parse': () => { const ctx = new LintContext(text, { file: 'Dockerfile' }); buildModel(ctx); return lint(ctx, options); },
    're-lint, parse again': () => lint(text, relintOptions),
    're-lint, kept context': () => lint(kept, relintOptions),
    'parse only (LintContext)': () => new LintContext(text, { file: 'Dockerfile' }),
    'parse + model (no lint)': () => buildModel(new LintContext(text, { file: 'Dockerfile' })),
  };
  // The same findings whichever way: otherwise the comparison is meaningless.
  const a = JSON.stringify(lint(text, options));
  if (a !== JSON.stringify(lint(new LintContext(text, { file: 'Dockerfile' }), options))) throw new Error('one-parse findings differ from two-parse findings');

  const names = Object.keys(paths);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const cpu: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
  for (let i = 0; i < 100; i++) for (const n of names) paths[n]();
  console.log(`node ${process.version}; ${file} (${text.length} bytes); ${calls} calls of each path, interleaved; load at start ${load()}`);
  for (let i = 0; i < calls; i++) {
    // Rotate the order, so no path always runs right after another's garbage.
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      const c = process.cpuUsage();
      const t = performance.now();
      paths[name]();
      times[name].push(performance.now() - t);
      const d = process.cpuUsage(c);
      cpu[name] += d.user + d.system;
    }
  }
  console.log('');
  console.log('path                          median    p25    p10    min   [CPU per call]');
  for (const name of names) {
    const s = times[name].sort((x, y) => x - y);
    const q = (p: number): string => s[Math.floor(p * (s.length - 1))].toFixed(2).padStart(6);
    console.log(`${name.padEnd(28)}${q(0.5)} ${q(0.25)} ${q(0.1)} ${q(0)}   [${(cpu[name] / calls / 1000).toFixed(2)}] ms`);
  }
  const med = (n: string): number => times[n][Math.floor(0.5 * (times[n].length - 1))];
  console.log('');
  console.log(`new version: one parse / two parses = ${(med('new version, one parse') / med('new version, two parses')).toFixed(2)}x`);
  console.log(`re-lint: kept context / parse again = ${(med('re-lint, kept context') / med('re-lint, parse again')).toFixed(2)}x`);
  console.log(`load at end ${load()}`);
}

main();
