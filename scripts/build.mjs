// Bundles every entry point with esbuild into dist/.
// One table of entries: add a bundle here, not a second build script.
import { build, context } from 'esbuild';
import { mkdirSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

// dist/ is overwritten in place, not wiped first: tests running beside a build keep their bundles.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');

/** Native or host-provided modules are never bundled. */
const external = ['vscode', 'koffi'];

const node = { platform: 'node', format: 'cjs', target: 'node20', external };

// In an ES module, `import http from 'node:http'` builds an ESM facade of the whole builtin, which
// runs its lazy getters: on Node 24 that loads undici (~55 ms). Builtins are taken with require()
// instead (the banner's), as a CommonJS bundle does.
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const requireBuiltins = {
  name: 'require-builtins',
  setup(b) {
    b.onResolve({ filter: /^[a-z_:/0-9]+$/ }, (a) => builtins.has(a.path) && a.namespace !== 'builtin' ? { path: a.path, namespace: 'builtin' } : undefined);
    b.onResolve({ filter: /.*/, namespace: 'builtin' }, (a) => ({ path: a.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (a) => ({ contents: `module.exports = require(${JSON.stringify(a.path)});`, loader: 'js' }));
  },
};
const entries = [
  // The extension host loads this; `vscode` is provided by the host.
  { entryPoints: { extension: 'extension/extension.ts' }, ...node },
  // The runtime service, its CLI and the container's second-stage init are separate processes.
  { entryPoints: { service: 'runtime/service/main.ts' }, ...node },
  // The CLI: dist/cli.js is a small CommonJS stub loading dist/cli/main.mjs, an ES module split at
  // the lazy command table's dynamic imports, so each command loads only its own code. The banner
  // gives the chunks what CommonJS code expects: require (for bundled CommonJS dependencies and
  // koffi) and a __dirname that is dist/ (runtime/paths.ts finds the other bundles from it).
  { entryPoints: { cli: 'runtime/cli/bin.ts' }, ...node },
  {
    entryPoints: { 'cli/main': 'runtime/cli/main.ts' }, ...node, format: 'esm', splitting: true,
    outExtension: { '.js': '.mjs' }, chunkNames: 'cli/[name]-[hash]', plugins: [requireBuiltins],
    banner: { js: [
      "import { createRequire as __slipwayRequire } from 'node:module';",
      "import { fileURLToPath as __slipwayPath } from 'node:url';",
      'const require = __slipwayRequire(import.meta.url);',
      'const __filename = __slipwayPath(import.meta.url);',
      "const __dirname = __slipwayPath(new URL('..', import.meta.url));",
    ].join(' ') },
  },
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
  const results = await Promise.all(present.map((e) => build({ ...common, ...e, metafile: true })));
  // The CLI's chunks are named by content hash: remove those this build did not write (old ones
  // would pile up in dist/cli and in the .vsix).
  const written = new Set(results.flatMap((r) => Object.keys(r.metafile.outputs)).map((f) => path.join(root, f)));
  const cliDir = path.join(root, 'dist', 'cli');
  for (const f of existsSync(cliDir) ? readdirSync(cliDir) : []) {
    if (!written.has(path.join(cliDir, f))) rmSync(path.join(cliDir, f), { force: true });
  }
}
