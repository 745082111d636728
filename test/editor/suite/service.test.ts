// The runtime service as the editor sees it: the status bar shows the version the service
// reports, the commands are registered and run. The driver gives this window a temp service
// (SLIPWAY_SOCKET/SLIPWAY_ROOT through extensionEnvironment) and ends it afterwards.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import http from 'node:http';
import * as vscode from 'vscode';
import type { SlipwayApi } from '../../../extension/api';
import { screenshot } from './screenshot';

/** GET /version straight from the socket, independent of the extension's own client. */
function versionFromSocket(socketPath: string): Promise<{ Version: string; ApiVersion: string }> {
  return new Promise((resolve, reject) => {
    http.get({ socketPath, path: '/version', headers: { Host: 'slipway' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => {
        try { resolve(JSON.parse(text)); } catch (err) { reject(err); }
      });
    }).on('error', reject);
  });
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('runtime service', () => {
  let api: SlipwayApi;

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<SlipwayApi>('slipway.slipway');
    assert.ok(ext, 'extension slipway.slipway is not loaded');
    api = await ext.activate();
  });

  test('the connection uses the socket and state dir from the environment', () => {
    assert.equal(api.services.service.location.socketPath, process.env.SLIPWAY_SOCKET);
    assert.equal(api.services.service.location.stateRoot, process.env.SLIPWAY_ROOT);
  });

  test('the status bar item shows the version the service reports', async () => {
    await api.services.service.whenConnected(30_000);
    const fromSocket = await versionFromSocket(api.services.service.location.socketPath);
    assert.match(fromSocket.Version, /\S/);
    await waitFor('the status bar text', () => (api.statusBarText() === `Slipway ${fromSocket.Version}` ? true : undefined));
    await screenshot('status-bar');
  });

  test('every contributed command is registered', async () => {
    const ext = vscode.extensions.getExtension('slipway.slipway');
    const declared = (ext?.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(declared.includes('slipway.showServiceInfo'));
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((id) => !registered.has(id)), []);
  });

  test('slipway.showServiceInfo summarises /version and /info', async () => {
    const summary = await vscode.commands.executeCommand<{ message: string; detail: string[] }>('slipway.showServiceInfo');
    assert.ok(summary, 'the command reported the service unreachable');
    const { Version } = await versionFromSocket(api.services.service.location.socketPath);
    assert.ok(summary.message.startsWith(`Slipway ${Version} `), summary.message);
    assert.ok(summary.detail.includes(`Socket: ${process.env.SLIPWAY_SOCKET}`), summary.detail.join('\n'));
  });

  test('slipway.showLogs runs', async () => {
    await vscode.commands.executeCommand('slipway.showLogs');
  });

  test('when the service is killed the status bar warns, then the extension starts a new one', async () => {
    const { service } = api.services;
    await service.whenConnected(30_000);
    const { pid } = await api.services.client().get<{ pid: number }>('/slipway/status');
    const states: string[] = [];
    const off = service.onDidChangeState((s) => states.push(s.kind));
    try {
      process.kill(pid, 'SIGKILL');
      await waitFor('the warning', () => (service.state.kind === 'unreachable' ? true : undefined));
      assert.ok(!/\d/.test(api.statusBarText()), `status bar still shows a version: ${api.statusBarText()}`);
      await service.whenConnected(30_000);
      const after = await api.services.client().get<{ pid: number }>('/slipway/status');
      assert.notEqual(after.pid, pid);
      assert.deepEqual(states.slice(0, 1), ['unreachable']);
    } finally {
      off();
    }
  });

  test('slipway.restartService replaces the service and the status bar follows', async () => {
    const status = () => api.services.client().get<{ pid: number }>('/slipway/status');
    const before = await status();
    const version = await vscode.commands.executeCommand<{ Version: string }>('slipway.restartService');
    assert.ok(version, 'the restart failed (see the Slipway output)');
    const after = await status();
    assert.notEqual(after.pid, before.pid);
    await waitFor('the status bar after the restart', () => (api.statusBarText() === `Slipway ${version.Version}` ? true : undefined));
  });
});
