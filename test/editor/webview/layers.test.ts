// The real webview bundle in a real browser (Debian's chromium through playwright-core): the
// page the host makes (same CSP and nonce rules), a stub acquireVsCodeApi, a recorded build
// posted as host messages; asserts the DOM and what the page posts back. A screenshot goes to
// /tmp/slipway-layers-preview.png to look at. Run by test/editor/run.mjs as the "webview" step
// (a browser start is too slow for the unit tier on a busy 2-core machine).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { previewHtml } from '../../../extension/preview/html';
import type { HostMessage } from '../../../webview/layers/protocol';
import { failingBuild, imageLayers, successfulBuild } from '../../unit/webview/layers/recorded-build';

const CHROMIUM = '/usr/bin/chromium';
const ORIGIN = 'https://webview.slipway.test';
const root = path.resolve(__dirname, '../../..');
const missing = existsSync(CHROMIUM) ? undefined : `requires ${CHROMIUM} (apt-get install chromium)`;
// Off CI a missing browser skips with the reason; under CI=true it is a failure.
const skip = process.env.CI === 'true' ? undefined : missing;

let browser: Browser | undefined;
let dir = '';
let bundle = '';

before(async () => {
  if (skip) return;
  dir = mkdtempSync(path.join(tmpdir(), 'slipway-webview-'));
  // The same options as scripts/build.mjs's webview entry, built from the current sources.
  await build({ absWorkingDir: root, entryPoints: ['webview/layers/main.ts'], outfile: path.join(dir, 'layers.js'), bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'error' });
  bundle = readFileSync(path.join(dir, 'layers.js'), 'utf8');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openPage(saved?: unknown): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 900, height: 900 } });
  page.setDefaultTimeout(5_000); // a missing element fails with its selector, not the test's timeout
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  // A string, not a function: tsx compiles functions with esbuild's keepNames, whose __name
  // helper does not exist in the page; the shim covers the functions passed to evaluate().
  await page.addInitScript(`
    window.__name = (f) => f;
    window.posted = [];
    window.saved = ${JSON.stringify(saved ?? null)} ?? undefined;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.posted.push(m),
      getState: () => window.saved,
      setState: (s) => { window.saved = s; },
    });`);
  const html = previewHtml({ cspSource: ORIGIN, scriptUri: `${ORIGIN}/layers.js`, nonce: 'test-nonce' });
  await page.route(`${ORIGIN}/**`, (route) => route.request().url().endsWith('/layers.js')
    ? route.fulfill({ body: bundle, contentType: 'text/javascript' })
    : route.fulfill({ body: html, contentType: 'text/html' }));
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (window as unknown as { posted: Array<{ type: string }> }).posted.some((m) => m.type === 'ready'));
  return { page, errors };
}

async function post(page: Page, messages: HostMessage[]): Promise<void> {
  await page.evaluate((ms) => { for (const m of ms) window.postMessage(m, '*'); }, messages);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** A real click on a collapsible's own header (in its shadow root, not a nested one's). */
const openHeader = (page: Page, selector: string) => page.locator(selector).locator('.collapsible-header').first().click();

const posted = (page: Page) => page.evaluate(() => (window as unknown as { posted: Array<Record<string, unknown>> }).posted);

test('a failing build: step states, sizes, counts, the error and its output', { skip, timeout: 20_000 }, async () => {
  const { page, errors } = await openPage();
  await post(page, [{ type: 'reset', title: 'app:latest' }, ...failingBuild.map((event) => ({ type: 'build-event' as const, event }))]);
  const steps = await page.$$eval('vscode-collapsible.step', (els) => els.map((e) => ({ status: e.getAttribute('data-status'), heading: e.getAttribute('heading'), description: e.getAttribute('description'), open: e.hasAttribute('open') })));
  assert.deepEqual(steps.map((s) => s.status), ['cached', 'cached', 'done', 'done', 'failed']);
  assert.equal(steps[2].heading, '3. RUN make install');
  assert.equal(steps[2].description, 'done · 1.84 s · 620 kB');
  assert.equal(steps[4].open, true, 'the failed step is open');
  assert.match(await page.textContent('header') ?? '', /failed · 5 steps · 2 cached/);
  assert.match(await page.textContent('.build-error') ?? '', /exit code 3/);
  assert.equal(await page.textContent('vscode-collapsible.failed pre.log'), 'test.sh: assertion failed\n');
  assert.deepEqual(await page.$$eval('vscode-collapsible.step:nth-of-type(3) .count', (els) => els.map((e) => e.textContent)), ['+1', '~1', '-1']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('expanding a layer shows its change list; a line link asks the host to reveal the range', { skip, timeout: 20_000 }, async () => {
  const { page, errors } = await openPage();
  await post(page, [{ type: 'reset', title: 'app' }, ...successfulBuild.map((event) => ({ type: 'build-event' as const, event }))]);
  // Open the RUN step (its header), then its Changes block (changes came inline with step-end).
  await openHeader(page, 'vscode-collapsible[data-step="2"]');
  await page.waitForSelector('vscode-collapsible[data-step="2"][open]');
  await openHeader(page, 'vscode-collapsible[data-key="layer:sha256:eee3"]');
  await page.waitForSelector('table.changes tr.change');
  const rows = await page.$$eval('vscode-collapsible[data-step="2"] table.changes tbody tr', (trs) => trs.map((tr) => Array.from(tr.children, (td) => td.textContent)));
  assert.deepEqual(rows, [
    ['A', '/usr/local/bin/app', '1.3 MB', '-rwxr-xr-x', '0:0'],
    ['M', '/etc/passwd', '1.0 kB', '-rw-r--r--', '0:0'],
    ['D', '/tmp/build/', '', 'drwxr-xr-x', '1000:1000'],
  ]);
  await page.click('vscode-collapsible[data-step="1"] a.line');
  const msgs = await posted(page);
  const reveal = msgs.filter((m) => m.type === 'reveal');
  assert.deepEqual(reveal.at(-1), { type: 'reveal', dockerfile: '/ws/app/Dockerfile', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 11 } } });
  // The COPY layer had no inline changes: opening it asks the host, and the answer fills it.
  await openHeader(page, 'vscode-collapsible[data-step="1"]');
  await openHeader(page, 'vscode-collapsible[data-key="layer:sha256:ccc2"]');
  await page.waitForFunction(() => (window as unknown as { posted: Array<{ type: string }> }).posted.some((m) => m.type === 'request-layers'));
  const request = (await posted(page)).find((m) => m.type === 'request-layers')!;
  assert.equal(request.imageId, 'sha256:1234567890abcdef1234');
  await post(page, [{ type: 'response', requestId: request.requestId as number, ok: true, layers: imageLayers }]);
  assert.deepEqual(await page.$$eval('vscode-collapsible[data-step="1"] td.path', (tds) => tds.map((t) => t.textContent)), ['/app/', '/app/app.py']);
  await page.screenshot({ path: '/tmp/slipway-layers-preview.png', fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('an image\'s layers: built ones link to their Dockerfile lines and ask the host to reveal them', { skip, timeout: 20_000 }, async () => {
  const { page, errors } = await openPage();
  await post(page, [{ type: 'reset', title: 'app:1' }, { type: 'image-layers', imageId: 'sha256:1234', layers: imageLayers }]);
  assert.deepEqual(await page.$$eval('vscode-collapsible.layer', (els) => els.map((e) => e.querySelector('a.line')?.textContent ?? null)), [null, 'Dockerfile:2', 'Dockerfile:3-5']);
  await page.click('vscode-collapsible.layer:nth-of-type(2) a.line');
  await page.click('vscode-collapsible.layer:nth-of-type(3) a.line');
  const reveal = (await posted(page)).filter((m) => m.type === 'reveal');
  assert.deepEqual(reveal, [
    // Read in place by the service: its absolute path.
    { type: 'reveal', dockerfile: '/ws/app/Dockerfile', range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } } },
    // An uploaded context: the name, which the host resolves against the workspace.
    { type: 'reveal', dockerfile: 'Dockerfile', range: { start: { line: 2, character: 0 }, end: { line: 5, character: 0 } } },
  ]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('state saved by setState restores the view; invalid messages are ignored', { skip, timeout: 20_000 }, async () => {
  const first = await openPage();
  await post(first.page, [{ type: 'reset', title: 'restored' }, ...failingBuild.map((event) => ({ type: 'build-event' as const, event }))]);
  const saved = await first.page.evaluate(() => (window as unknown as { saved: unknown }).saved);
  await first.page.close();
  const { page } = await openPage(saved);
  assert.equal(await page.$$eval('vscode-collapsible.step', (els) => els.length), 5);
  assert.match(await page.textContent('h1') ?? '', /restored/);
  await page.evaluate(() => window.postMessage({ type: 'build-event', event: { type: 'build-start', buildId: 'x' } }, '*'));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(await page.$$eval('vscode-collapsible.step', (els) => els.length), 5, 'the malformed build-start changed nothing');
  await page.close();
});
