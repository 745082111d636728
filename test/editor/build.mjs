// Bundles the editor test suites for VS Code's extension host (cjs, `vscode` external):
//   out/test/index.js + out/test/<name>.test.js  from test/editor/suite/     (the extension under development)
//   out/vsix-probe/...                           from test/editor/vsix/      (a probe extension that checks an
//                                                                             installed .vsix)
// out/ is git-ignored. Called by run.mjs and electron.mjs; `node test/editor/build.mjs` runs it alone.
import { build } from 'esbuild';
import { readdirSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const common = {
  absWorkingDir: root, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
  // mocha is bundled (its package is ESM-only at the top; the bundle keeps the extension host's
  // plain require() working on any Node); the host provides vscode.
  external: ['vscode'], sourcemap: 'inline', logLevel: 'error',
};

function suiteEntries(dir) {
  const files = readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.test.ts')).sort();
  return Object.fromEntries(files.map((f) => [f.replace(/\.ts$/, ''), path.join(dir, f)]));
}

/** Bundles both suites; returns the absolute paths of the two output folders. */
export async function buildEditorSuites() {
  const suiteOut = path.join(root, 'out', 'test');
  const probeOut = path.join(root, 'out', 'vsix-probe');
  for (const d of [suiteOut, probeOut]) { rmSync(d, { recursive: true, force: true }); mkdirSync(d, { recursive: true }); }
  const index = 'test/editor/suite/index.ts';
  await build({ ...common, outdir: suiteOut, entryPoints: { index, ...suiteEntries('test/editor/suite') } });
  await build({ ...common, outdir: path.join(probeOut, 'out'), entryPoints: { index, ...suiteEntries('test/editor/vsix') } });
  // The probe is an extension of its own, so that the installed Slipway (not a development
  // copy) is the one under test.
  writeFileSync(path.join(probeOut, 'package.json'), JSON.stringify({
    name: 'slipway-vsix-probe', publisher: 'slipway-tests', version: '0.0.0',
    engines: { vscode: '^1.95.0' }, extensionKind: ['workspace'],
  }, null, 2));
  return { suiteOut, probeOut };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildEditorSuites();
  console.log(`built ${out.suiteOut} and ${out.probeOut}`);
}
