// Bundles every entry point with esbuild into dist/.
// One table of entries: add a bundle here, not a second build script.
import { build, context } from 'esbuild';
import { mkdirSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

// dist/ is overwritten in place, not wiped first: tests running beside a build keep their bundles.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');

/** Native or host-provided modules are never bundled. */
const external = ['vscode', 'koffi'];

const node = { platform: 'node', format: 'cjs', target: 'node20', external };

/**
 * V8 keeps a script's source for as long as its functions may be compiled, and one character
 * beyond Latin-1 makes all of it a two-byte string: the service's 1.6 MB bundle cost 3.3 MB of
 * its idle heap for a few "—" and "’" in comments. esbuild escapes them in strings (its default
 * charset) but leaves them in comments and regular expression literals, where a \uXXXX escape
 * of each UTF-16 unit means the same.
 */
const asciiComments = (file) => ({
  name: 'ascii-comments',
  setup(b) {
    b.onEnd((result) => {
      if (result.errors.length > 0) return;
      const out = path.join(root, 'dist', file);
      const text = readFileSync(out, 'utf8');
      // After an odd run of backslashes the character is escaped already (`\—`): add only `u...`.
      const escape = (c, at) => `${/(^|[^\\])(\\\\)*\\$/.test(text.slice(Math.max(0, at - 16), at)) ? '' : '\\'}u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
      if (/[\u0080-\uffff]/.test(text)) writeFileSync(out, text.replace(/[\u0080-\uffff]/g, escape));
    });
  },
});

// The CLI's commands, one bundle each: the names of runtime/cli/commands/lazy.ts.
const cliCommands = [...readFileSync(path.join(root, 'runtime/cli/commands/lazy.ts'), 'utf8').matchAll(/^ {2}'([a-z-]+)',$/gm)].map((m) => m[1]);
const entries = [
  // The extension host loads this; `vscode` is provided by the host.
  { entryPoints: { extension: 'extension/extension.ts' }, ...node },
  // The runtime service, its CLI and the container's second-stage init are separate processes.
  { entryPoints: { service: 'runtime/service/main.ts' }, ...node, plugins: [asciiComments('service.js')] },
  // The CLI: dist/cli.js holds the dispatcher only; each command is its own bundle dist/cli/NAME.js,
  // required when that command runs (runtime/cli/commands/lazy.ts). CommonJS, not an ES module
  // split: Node's ESM loader costs ~20 ms more per call. The banner makes __dirname dist/ in the
  // command bundles, as runtime/paths.ts expects of every bundle.
  { entryPoints: { cli: 'runtime/cli/main.ts' }, ...node },
  {
    entryPoints: Object.fromEntries(cliCommands.map((n) => [`cli/${n}`, `runtime/cli/commands/${n}.ts`])), ...node,
    banner: { js: "__dirname = require('node:path').dirname(__dirname);" },
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
  // Remove what this build did not write in dist/cli (a removed command, the ES-module chunks of
  // an earlier layout): it would linger in the .vsix.
  const written = new Set(results.flatMap((r) => Object.keys(r.metafile.outputs)).map((f) => path.join(root, f)));
  const cliDir = path.join(root, 'dist', 'cli');
  for (const f of existsSync(cliDir) ? readdirSync(cliDir) : []) {
    if (!written.has(path.join(cliDir, f))) rmSync(path.join(cliDir, f), { force: true });
  }
}
