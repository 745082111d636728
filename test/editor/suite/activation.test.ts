// The extension activates when a Dockerfile is opened.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

suite('activation', () => {
  test('opening a Dockerfile activates slipway', async () => {
    const ext = vscode.extensions.getExtension('slipway.slipway');
    assert.ok(ext, 'extension slipway.slipway is not loaded');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the driver opens a workspace folder');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'Dockerfile'));
    await vscode.window.showTextDocument(doc);
    for (let i = 0; i < 100 && !ext.isActive; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(ext.isActive, true);
  });
});
