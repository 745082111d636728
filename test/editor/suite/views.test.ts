// The Slipway activity-bar views are contributed and registered: each one can be focused (its
// `<view>.focus` command exists only when package.json declares the view), and the Images view
// lists what the service has. A screenshot shows the trees for a person to look at.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SlipwayApi } from '../../../extension/api';
import { screenshot } from './screenshot';

suite('activity-bar views', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    const ext = vscode.extensions.getExtension<SlipwayApi>('slipway.slipway');
    assert.ok(ext, 'extension slipway.slipway is not loaded');
    const api = await ext.activate();
    await api.services.service.whenConnected(30_000);
  });

  for (const view of ['slipway.containers', 'slipway.images', 'slipway.volumes']) {
    test(`${view} can be focused`, async () => {
      const all = await vscode.commands.getCommands(true);
      assert.ok(all.includes(`${view}.focus`), `${view}.focus is not registered`);
      await vscode.commands.executeCommand(`${view}.focus`);
    });
  }

  test('the Slipway container shows its trees', async function () {
    this.timeout(20_000);
    await vscode.commands.executeCommand('slipway.images.focus');
    await new Promise((r) => setTimeout(r, 1000));
    await screenshot('views');
  });
});
