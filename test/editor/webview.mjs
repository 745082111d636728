// The editor tier's "webview" step: browser tests of the webview bundles
// (test/editor/webview/*.test.ts, node's test runner + tsx, Debian's chromium through
// playwright-core). They need no code-server, so they run even where it is not installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Runs the webview browser tests; returns their counts. */
export function runWebviewTests(root, grep = '') {
  const dir = path.join(root, 'test', 'editor', 'webview');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.ts') && f.includes(grep)).sort().map((f) => path.join(dir, f)) : [];
  if (files.length === 0) return { passed: 0, failed: 0, skipped: 0 };
  console.log(`\n--- editor run "webview": ${files.length} files`);
  const tmp = mkdtempSync(path.join(tmpdir(), 'slipway-webview-tap-'));
  const tap = path.join(tmp, 'webview.tap');
  try {
    spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files], { cwd: root, stdio: 'inherit' });
    const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
    const count = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
    const crashed = text.includes('# pass') ? 0 : 1;
    return { passed: count('pass'), failed: count('fail') + count('cancelled') + crashed, skipped: count('skipped') + count('todo') };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
