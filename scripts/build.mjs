// Bundles every entry point with esbuild into dist/.
// One table of entries: add a bundle here, not a second build script.
import { build, context } from 'esbuild';
import { mkdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

// dist/ is overwritten in place, not wiped first: tests running beside a build keep their bundles.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');

/** Native or host-provided modules are never bundled. */
const external = ['vscode', 'koffi'];

const node = { platform: 'node', format: 'cjs', target: 'node20', external };
const entries = [
  // The extension host loads this; `vscode` is provided by the host.
  { entryPoints: { extension: 'extension/extension.ts' }, ...node },
  // The runtime service, its CLI and the container's second-stage init are separate processes.
  { entryPoints: { service: 'runtime/service/main.ts' }, ...node },
  { entryPoints: { cli: 'runtime/cli/main.ts' }, ...node },
  { entryPoints: { init: 'runtime/container/init/main.ts' }, ...node },
  { entryPoints: { 'container-worker': 'runtime/container/worker/main.ts' }, ...node },
  // Webview code runs in the browser sandbox of a webview panel.
  { entryPoints: { 'webview/layers': 'webview/layers/main.ts' }, platform: 'browser', format: 'iife', target: 'es2022' },
];

mkdirSync(path.join(root, 'dist'), { recursive: true });

const present = entries.filter((e) => Object.values(e.entryPoints).every((p) => existsSync(path.join(root, p))));
const common = { absWorkingDir: root, outdir: 'dist', bundle: true, sourcemap: 'linked', logLevel: 'warning', legalComments: 'none' };
if (watch) {
  for (const e of present) await (await context({ ...common, ...e })).watch();
} else {
  await Promise.all(present.map((e) => build({ ...common, ...e })));
}
