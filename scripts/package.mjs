#!/usr/bin/env node
// Makes slipway-<version>.vsix with @vscode/vsce, offline and without node_modules, from a
// staging folder that holds exactly what the extension needs at run time:
//   package.json, README.md (LICENSE when present), dist/ bundles without source maps, syntaxes/,
//   and koffi (loaded by the service and the container helpers; esbuild keeps it external)
//   with its prebuilt binaries for linux-x64 and linux-arm64 only.
// `npm run package` builds first. Usage: node scripts/package.mjs [--out FILE.vsix]
//
// Where koffi goes, and why: vsce --no-dependencies never packs a top-level node_modules/, so
// koffi is staged as dist/node_modules/koffi, which is exactly where Node's resolution looks
// first for `require('koffi')` from dist/*.js. koffi's loader (src/koffi/index.cjs) tries the
// @koromix/koffi-<platform>-<arch> package and then <koffi>/build/koffi/<platform>_<arch>/koffi.node;
// the binaries are staged at the latter, so no per-platform package is needed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listZip } from './zip-list.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAX_BYTES = 20 * 1024 * 1024;
/** koffi's binary triplets (its abi names) we ship, and the npm package each comes from. */
const KOFFI_TARGETS = [
  { triplet: 'linux_x64', pkg: '@koromix/koffi-linux-x64' },
  { triplet: 'linux_arm64', pkg: '@koromix/koffi-linux-arm64' },
];
/** The parts of the koffi package its CommonJS and ESM entry points load (no sources, no docs). */
const KOFFI_FILES = ['package.json', 'LICENSE.txt', 'index.cjs', 'index.js', 'src/koffi/index.cjs', 'src/koffi/index.js',
  'src/koffi/src/static.cjs', 'src/koffi/src/static.js'];

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  let out = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) out = path.resolve(argv[++i]);
    else fail(`unknown argument "${argv[i]}" (usage: node scripts/package.mjs [--out FILE.vsix])`);
  }
  return { pkg, out };
}

/** The directory holding `<triplet>/koffi.node` for a target: node_modules, or `npm pack` into a cache. */
function koffiBinaryDir({ pkg }, version) {
  const installed = path.join(root, 'node_modules', pkg);
  if (existsSync(path.join(installed, 'package.json')) && JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')).version === version) {
    return installed;
  }
  // Not this machine's architecture: fetch the package tarball from the npm registry once.
  const cache = path.join(process.env.SLIPWAY_CACHE || path.join(homedir(), '.cache', 'slipway'), 'koffi', `${pkg.replace('/', '+')}@${version}`);
  if (!existsSync(path.join(cache, 'package', 'package.json'))) {
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(cache, { recursive: true });
    const r = spawnSync('npm', ['pack', '--silent', `${pkg}@${version}`], { cwd: cache, encoding: 'utf8' });
    if (r.status !== 0) fail(`npm pack ${pkg}@${version} failed: ${r.stderr.trim()}`);
    const tgz = r.stdout.trim().split('\n').pop();
    const t = spawnSync('tar', ['-xzf', tgz, '-C', cache], { cwd: cache, encoding: 'utf8' });
    if (t.status !== 0) fail(`cannot unpack ${path.join(cache, tgz)}: ${t.stderr.trim()}`);
    rmSync(path.join(cache, tgz));
  }
  return path.join(cache, 'package');
}

function stageKoffi(stage) {
  const src = path.join(root, 'node_modules', 'koffi');
  const { version } = JSON.parse(readFileSync(path.join(src, 'package.json'), 'utf8'));
  const dest = path.join(stage, 'dist', 'node_modules', 'koffi');
  for (const f of KOFFI_FILES) {
    if (!existsSync(path.join(src, f))) fail(`koffi ${version} has no ${f}; update KOFFI_FILES in scripts/package.mjs`);
    cpSync(path.join(src, f), path.join(dest, f));
  }
  for (const target of KOFFI_TARGETS) {
    const binary = path.join(koffiBinaryDir(target, version), target.triplet, 'koffi.node');
    if (!existsSync(binary)) fail(`${target.pkg}@${version} has no ${target.triplet}/koffi.node`);
    cpSync(binary, path.join(dest, 'build', 'koffi', target.triplet, 'koffi.node'));
  }
  return version;
}

function stage(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(root, 'dist', 'extension.js'))) fail('dist/extension.js is missing: run `npm run build` first');
  for (const f of ['package.json', 'README.md', 'LICENSE', 'language-configuration.json', '.vscodeignore']) {
    if (existsSync(path.join(root, f))) cpSync(path.join(root, f), path.join(dir, f));
  }
  for (const d of ['syntaxes', 'media']) {
    if (existsSync(path.join(root, d))) cpSync(path.join(root, d), path.join(dir, d), { recursive: true });
  }
  cpSync(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true, filter: (f) => !f.endsWith('.map') });
  return stageKoffi(dir);
}

/** What the .vsix must and must not hold; returns the problems found. */
function checkContents(entries, koffiVersion) {
  const problems = [];
  const must = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/node_modules/koffi/index.cjs',
    ...KOFFI_TARGETS.map((t) => `extension/dist/node_modules/koffi/build/koffi/${t.triplet}/koffi.node`)];
  for (const m of must) if (!entries.includes(m)) problems.push(`missing ${m}`);
  for (const e of entries) {
    if (e.endsWith('.map')) problems.push(`source map ${e}`);
    if (e.startsWith('extension/node_modules/')) problems.push(`node_modules entry ${e}`);
    if (/^extension\/(runtime|extension|test|webview|scripts)\//.test(e)) problems.push(`source file ${e}`);
  }
  if (!koffiVersion) problems.push('koffi version unknown');
  return problems;
}

const { pkg, out } = parseArgs(process.argv.slice(2));
const staging = path.join(root, 'out', 'package');
const koffiVersion = stage(staging);
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const args = [vsce, 'package', '--no-dependencies', '--no-update-package-json', '--no-git-tag-version', '--out', out];
if (!existsSync(path.join(staging, 'LICENSE'))) args.push('--skip-license');
// vsce rewrites README links against the repository; it only guesses that for GitHub/GitLab URLs.
const repo = String(pkg.repository?.url ?? pkg.repository ?? '').replace(/\.git$/, '');
if (repo) args.push('--baseContentUrl', `${repo}/blob/HEAD`, '--baseImagesUrl', `${repo}/raw/HEAD`);
mkdirSync(path.dirname(out), { recursive: true });
const r = spawnSync(process.execPath, args, { cwd: staging, stdio: 'inherit' });
if (r.status !== 0) fail(`vsce package failed (exit ${r.status})`);

const size = statSync(out).size;
const entries = listZip(readFileSync(out));
const problems = checkContents(entries, koffiVersion);
if (size > MAX_BYTES) problems.push(`${out} is ${(size / 2 ** 20).toFixed(1)} MB, over the ${MAX_BYTES / 2 ** 20} MB limit`);
if (problems.length) fail(`${out} is not right:\n  ${problems.join('\n  ')}`);
writeFileSync(path.join(staging, 'contents.txt'), entries.join('\n') + '\n');
console.log(`package: ${path.relative(process.cwd(), out) || out}: ${pkg.name} ${pkg.version}, ${entries.length} files, `
  + `${(size / 2 ** 20).toFixed(2)} MB, koffi ${koffiVersion} for ${KOFFI_TARGETS.map((t) => t.triplet).join(' + ')}`);
