// Runs in a code-server where the packaged .vsix was installed with --install-extension (the
// driver's "vsix" run; this probe is the extension under development, Slipway is not): the
// installed copy activates, starts its own service bundle, and resolves koffi from the .vsix.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SlipwayApi } from '../../../extension/api';

suite('installed .vsix', () => {
  let ext: vscode.Extension<SlipwayApi>;

  suiteSetup(() => {
    const found = vscode.extensions.getExtension<SlipwayApi>('slipway.slipway');
    assert.ok(found, 'slipway.slipway is not installed');
    ext = found;
  });

  test('the installed copy is the packaged one (bundles and koffi binaries, no sources)', () => {
    const root = ext.extensionPath;
    assert.ok(existsSync(path.join(root, 'dist', 'extension.js')));
    for (const triplet of ['linux_x64', 'linux_arm64']) {
      assert.ok(existsSync(path.join(root, 'dist', 'node_modules', 'koffi', 'build', 'koffi', triplet, 'koffi.node')), triplet);
    }
    assert.equal(existsSync(path.join(root, 'runtime')), false);
    assert.equal(existsSync(path.join(root, 'node_modules')), false);
  });

  test('opening a Dockerfile activates it and the status bar shows the service version', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'Dockerfile')));
    for (let i = 0; i < 100 && !ext.isActive; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(ext.isActive, true);
    const version = await ext.exports.services.service.whenConnected(30_000);
    for (let i = 0; i < 50 && ext.exports.statusBarText() !== `Slipway ${version.Version}`; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(ext.exports.statusBarText(), `Slipway ${version.Version}`);
  });

  test('the service it started runs the installed dist/service.js', async () => {
    const { pid } = await ext.exports.services.client().get<{ pid: number }>('/slipway/status');
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    assert.ok(argv.includes(path.join(ext.extensionPath, 'dist', 'service.js')), argv.join(' '));
  });

  test('koffi resolves from the .vsix for its bundles and loads its native binary', () => {
    const req = createRequire(path.join(ext.extensionPath, 'dist', 'service.js'));
    const resolved = req.resolve('koffi');
    assert.ok(resolved.startsWith(path.join(ext.extensionPath, 'dist', 'node_modules', 'koffi') + path.sep), resolved);
    const koffi = req('koffi') as { version: string };
    assert.equal(koffi.version, JSON.parse(readFileSync(path.join(path.dirname(resolved), 'package.json'), 'utf8')).version);
  });
});
