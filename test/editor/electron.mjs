#!/usr/bin/env node
// The same editor suite in desktop VS Code, through @vscode/test-electron, for machines that
// can download a VS Code build (this one cannot: use run.mjs, which drives code-server).
// Usage: npm run build && node test/editor/electron.mjs   (env VSCODE_VERSION: default "stable")
import { runTests } from '@vscode/test-electron';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEditorSuites } from './build.mjs';
import { killProcessesWithEnv } from './processes.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(path.join(tmpdir(), 'slipway-electron-'));
const workspace = path.join(work, 'workspace');
mkdirSync(workspace);
writeFileSync(path.join(workspace, 'Dockerfile'), 'FROM busybox\nRUN echo hello\n');
const service = { SLIPWAY_SOCKET: path.join(work, 'svc', 'slipway.sock'), SLIPWAY_ROOT: path.join(work, 'svc', 'state') };

let code = 1;
try {
  const { suiteOut } = await buildEditorSuites();
  code = await runTests({
    version: process.env.VSCODE_VERSION || 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(suiteOut, 'index.js'),
    extensionTestsEnv: service,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(work, 'user-data')],
  });
} catch (err) {
  console.error(`electron: ${err?.stack ?? err}`);
} finally {
  // The service is detached by design; end the one this run started.
  await killProcessesWithEnv('SLIPWAY_ROOT', service.SLIPWAY_ROOT);
  rmSync(work, { recursive: true, force: true, maxRetries: 3 });
}
process.exit(code);
