#!/usr/bin/env node
// The editor-tier driver: runs the extension's tests in a real VS Code (code-server's workbench,
// driven headless by Debian's chromium through playwright-core). See /work/shared/VSCODE-TESTING.md.
//
// Two runs, each in a fresh code-server with its own HOME, XDG dirs, TMPDIR and temp service:
//   1. "extension": the working tree as the extension under development, suite test/editor/suite.
//   2. "vsix": `npm run package`'s .vsix installed with --install-extension, checked by a probe
//      extension (test/editor/vsix) that activates the installed copy.
// Prints the test output; writes {passed, failed, skipped} to $SLIPWAY_TEST_RESULTS.
// Needs `npm run build` first (test/run.mjs's editor tier does that) and test/editor/setup.sh.
// Env: SLIPWAY_CACHE (where setup.sh installed), SLIPWAY_EDITOR_GREP (mocha grep),
//      SLIPWAY_EDITOR_RUNS=extension,vsix (which runs), SLIPWAY_SCREENSHOTS=DIR (PNGs a suite asks for with
//      test/editor/suite/screenshot.ts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import net from 'node:net';
import { format } from 'node:util';
import { setTimeout, clearTimeout } from 'node:timers';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEditorSuites } from './build.mjs';
import { runWebviewTests } from './webview.mjs';
import { CODE_SERVER_VERSION, killProcessesWithEnv, killGroup } from './processes.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cache = process.env.SLIPWAY_CACHE || path.join(homedir(), '.cache', 'slipway');
const node24 = path.join(cache, 'node24', 'bin', 'node');
const csDir = path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
const csEntry = path.join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const ci = process.env.CI === 'true';
// Written by test/editor/suite/index.ts around the suite's output.
const BEGIN_MARKER = 'SLIPWAY_EDITOR_BEGIN';
const RESULTS_MARKER = 'SLIPWAY_EDITOR_RESULTS ';
// Written by test/editor/suite/screenshot.ts: "take a picture of the workbench now".
const SCREENSHOT_MARKER = 'SLIPWAY_SCREENSHOT ';
// Written by test/editor/suite/dom.ts: {selector, out}: "write the text of these workbench
// elements to this file" (the extension host cannot see the workbench's DOM; the driver can).
const DOM_TEXT_MARKER = 'SLIPWAY_DOM_TEXT ';

/** Writes the innerText of every element matching `selector` (one per line) to `out`, atomically. */
async function domText(page, request) {
  let text;
  try {
    const { selector, out } = JSON.parse(request);
    text = await page.evaluate((sel) => [...globalThis.document.querySelectorAll(sel)].map((e) => e.innerText).join('\n'), selector);
    writeFileSync(`${out}.tmp`, text);
    renameSync(`${out}.tmp`, out);
  } catch (err) {
    console.log(`  dom text request ${request} failed: ${err}`);
  }
}

async function screenshot(page, name) {
  const dir = process.env.SLIPWAY_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const png = path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: png }).then(() => console.log(`  screenshot: ${png}`), (err) => console.log(`  screenshot ${png} failed: ${err}`));
}
const RUN_TIMEOUT_MS = 240_000;
// Workbench log lines that interleave with the suite's output: "[Component] ..." and the gallery notice.
const WORKBENCH_NOISE = /^\[[\w:. -]+\]|^Ignoring fetching additional builtin extensions|^Updating additional builtin extensions/;

const totals = { passed: 0, failed: 0, skipped: 0 };
function finish() {
  if (process.env.SLIPWAY_TEST_RESULTS) writeFileSync(process.env.SLIPWAY_TEST_RESULTS, JSON.stringify(totals));
  console.log(`editor: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

// Webview bundles in a plain browser first: they need no code-server.
if ((process.env.SLIPWAY_EDITOR_RUNS || 'webview').split(',').includes('webview')) {
  const w = runWebviewTests(root, process.env.SLIPWAY_EDITOR_GREP);
  totals.passed += w.passed; totals.failed += w.failed; totals.skipped += w.skipped;
}

if (!existsSync(path.join(csDir, '.done')) || !existsSync(node24)) {
  const reason = `code-server ${CODE_SERVER_VERSION} is not installed in ${cache} (run test/editor/setup.sh)`;
  if (ci) { console.error(`editor: FAILED: ${reason}; CI=true requires the editor tests`); totals.failed = 1; }
  else { console.log(`editor: skipped: ${reason}`); totals.skipped = 1; }
  finish();
}

/** A free TCP port on 127.0.0.1 (the kernel picks it; closed again before code-server binds it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before listening`);
    try { if ((await globalThis.fetch(url)).ok) return; } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms`);
}

/** An isolated home for one code-server: it writes config, logs and IPC sockets under these. */
function sandbox(dir) {
  const d = (...p) => { const x = path.join(dir, ...p); mkdirSync(x, { recursive: true }); return x; };
  const env = {
    PATH: `${path.dirname(node24)}:${process.env.PATH}`, LANG: 'C.UTF-8',
    HOME: d('home'), XDG_CONFIG_HOME: d('xdg', 'config'), XDG_DATA_HOME: d('xdg', 'data'),
    XDG_CACHE_HOME: d('xdg', 'cache'), XDG_RUNTIME_DIR: d('xdg', 'run'), TMPDIR: d('tmp'),
    EXTENSIONS_GALLERY: '{}',
  };
  const dirs = { userData: d('user-data'), extensions: d('extensions'), workspace: d('workspace') };
  writeFileSync(path.join(dir, 'config.yaml'), 'auth: none\n');
  return { env, dirs, config: path.join(dir, 'config.yaml') };
}

function codeServerArgs(box, port) {
  return [csEntry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', box.dirs.userData, '--extensions-dir', box.dirs.extensions, '--config', box.config];
}

/** One code-server + chromium session running one test entry point. Returns parsed counts. */
async function runOnce({ name, dir, developmentPath, testsPath, vsix }) {
  const box = sandbox(dir);
  // A temp service of the run's own: the extension starts it (through runtime/client) here.
  const service = { SLIPWAY_SOCKET: path.join(dir, 'svc', 'slipway.sock'), SLIPWAY_ROOT: path.join(dir, 'svc', 'state') };
  mkdirSync(path.join(dir, 'svc'), { recursive: true });
  writeFileSync(path.join(box.dirs.workspace, 'Dockerfile'), 'FROM busybox\nRUN echo hello\n');
  if (vsix) {
    const r = spawnSync(node24, [csEntry, '--user-data-dir', box.dirs.userData,
      '--extensions-dir', box.dirs.extensions, '--install-extension', vsix], { env: box.env, encoding: 'utf8' });
    process.stdout.write(r.stdout ?? '');
    if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status}): ${r.stderr}`);
  }
  const port = await freePort();
  const log = [];
  const workbench = [];
  const child = spawn(node24, [...codeServerArgs(box, port), '--vscode-option', 'enable-smoke-test-driver'],
    { env: box.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (b) => log.push(String(b)));
  child.stderr.on('data', (b) => log.push(String(b)));
  let browser;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, 60_000);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let counts;
    let inSuite = false;
    const exited = new Promise((resolve) => {
      // Every workbench log line arrives here too (all of type "info"); print the suite's own
      // output (between the markers index.ts writes), without the workbench's "[Component] ..."
      // lines, and keep the rest for a failure report.
      page.exposeFunction('codeAutomationLog', (_type, args) => {
        const text = format(...(Array.isArray(args) ? args : [args]));
        workbench.push(text);
        if (text.startsWith(BEGIN_MARKER)) inSuite = true;
        else if (text.startsWith(RESULTS_MARKER)) { counts = JSON.parse(text.slice(RESULTS_MARKER.length)); inSuite = false; }
        else if (text.startsWith(SCREENSHOT_MARKER)) void screenshot(page, `${name}-${text.slice(SCREENSHOT_MARKER.length).trim()}`);
        else if (text.startsWith(DOM_TEXT_MARKER)) void domText(page, text.slice(DOM_TEXT_MARKER.length));
        else if (inSuite && !WORKBENCH_NOISE.test(text)) console.log(`  [${name}] ${text}`);
      });
      page.exposeFunction('codeAutomationExit', (code) => resolve(code));
    });
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(developmentPath)],
      ['extensionTestsPath', remote(testsPath)],
      ['extensionEnvironment', JSON.stringify({ ...service, SLIPWAY_EDITOR_GREP: process.env.SLIPWAY_EDITOR_GREP ?? '', SLIPWAY_SCREENSHOTS: process.env.SLIPWAY_SCREENSHOTS ?? '' })],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(box.dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    let timer;
    const code = await Promise.race([exited, new Promise((r) => { timer = setTimeout(() => r('timeout'), RUN_TIMEOUT_MS); })]);
    clearTimeout(timer);
    if (code === 'timeout') throw new Error(`the ${name} run did not finish within ${RUN_TIMEOUT_MS / 1000} s`);
    if (!counts) throw new Error(`the ${name} run exited with ${code} without reporting results (did the suite load?)`);
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    return counts;
  } catch (err) {
    console.error(`  [${name}] workbench log (last 40):\n${workbench.slice(-40).join('\n')}`);
    console.error(`  [${name}] code-server output (last 40):\n${log.join('').split('\n').slice(-40).join('\n')}`);
    throw err;
  } finally {
    await browser?.close().catch(() => {});
    await killGroup(child);
    // The service outlives the extension host by design (detached); end the one this run started.
    await killProcessesWithEnv('SLIPWAY_ROOT', service.SLIPWAY_ROOT);
  }
}

function packageVsix(outDir) {
  const out = path.join(outDir, 'slipway.vsix');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'package.mjs'), '--out', out], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(out)) throw new Error(`scripts/package.mjs failed (${r.status})`);
  return out;
}

const started = Date.now();
const work = mkdtempSync(path.join(tmpdir(), 'slipway-editor-'));
const wanted = (process.env.SLIPWAY_EDITOR_RUNS || 'extension,vsix').split(',');
try {
  if (!existsSync(path.join(root, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const { suiteOut, probeOut } = await buildEditorSuites();
  const runs = [];
  if (wanted.includes('extension')) runs.push(() => ({ name: 'extension', developmentPath: root, testsPath: path.join(suiteOut, 'index.js') }));
  if (wanted.includes('vsix')) {
    runs.push(() => ({ name: 'vsix', developmentPath: probeOut, testsPath: path.join(probeOut, 'out', 'index.js'), vsix: packageVsix(work) }));
  }
  for (const make of runs) {
    let name = '?';
    try {
      const spec = make();
      name = spec.name;
      console.log(`\n--- editor run "${name}"`);
      const dir = mkdtempSync(path.join(work, `${name}-`));
      const c = await runOnce({ ...spec, dir });
      console.log(`--- editor run "${name}": ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
      totals.passed += c.passed; totals.failed += c.failed; totals.skipped += c.skipped;
    } catch (err) {
      console.error(`editor run "${name}" FAILED: ${err?.stack ?? err}`);
      totals.failed += 1;
    }
  }
} catch (err) {
  console.error(`editor: FAILED: ${err?.stack ?? err}`);
  totals.failed += 1;
} finally {
  rmSync(work, { recursive: true, force: true, maxRetries: 3 });
  console.log(`editor: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
finish();
