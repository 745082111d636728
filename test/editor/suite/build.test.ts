// Build from the editor against the real service (POST /slipway/build, GET
// /slipway/images/{id}/layers): the command streams the build into the per-layer preview and
// returns the image; a failing RUN ends without an image. The driver's workspace holds
// "FROM busybox / RUN echo hello"; busybox is imported here from the host's static busybox.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SlipwayApi } from '../../../extension/api';
import { readAll } from '../../../runtime/client/client';
import { screenshot } from './screenshot';

function busyboxTar(): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'slipway-editor-busybox-'));
  try {
    mkdirSync(path.join(dir, 'bin'));
    copyFileSync('/bin/busybox', path.join(dir, 'bin', 'busybox'));
    for (const a of ['sh', 'echo', 'ls']) symlinkSync('busybox', path.join(dir, 'bin', a));
    return execFileSync('tar', ['-C', dir, '-cf', '-', '.'], { maxBuffer: 64 * 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitFor(what: string, probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const previewTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
  .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('slipway.layers'));

suite('build with the per-layer preview', () => {
  let api: SlipwayApi;
  let folder: vscode.Uri;

  suiteSetup(async function () {
    this.timeout(60_000);
    const ext = vscode.extensions.getExtension<SlipwayApi>('slipway.slipway');
    assert.ok(ext, 'extension slipway.slipway is not loaded');
    api = await ext.activate();
    await api.services.service.whenConnected(30_000);
    folder = vscode.workspace.workspaceFolders![0].uri;
    const res = await api.services.client().request('POST', '/images/create', {
      query: { fromSrc: '-', repo: 'busybox', tag: 'latest' }, body: busyboxTar(), timeoutMs: 0, headers: { 'Content-Type': 'application/x-tar' },
    });
    assert.doesNotMatch(await readAll(res), /"error"/);
  });

  test('slipway.buildImage builds the workspace Dockerfile and opens the preview', async function () {
    this.timeout(120_000);
    const dockerfile = vscode.Uri.joinPath(folder, 'Dockerfile');
    const outcome = await vscode.commands.executeCommand<{ ok: boolean; imageId: string; tags: string[]; panel: { whenReady(ms: number): Promise<void> } } | undefined>('slipway.buildImage', dockerfile, { tag: 'editor-build:latest' });
    assert.ok(outcome?.ok, 'the build did not succeed');
    assert.match(outcome.imageId, /^sha256:[0-9a-f]{64}$/);
    assert.ok(outcome.tags.some((t) => t.endsWith('editor-build:latest')), outcome.tags.join(', '));
    const layers = await api.services.client().get<Array<{ createdBy?: string; changes: unknown[] }>>(`/slipway/images/${outcome.imageId}/layers`);
    assert.ok(layers.some((l) => /echo hello/.test(l.createdBy ?? '')), 'the RUN layer is listed');
    // The first webview of a window loads slowly; the panel replays the build once it has.
    await outcome.panel.whenReady(30_000);
    // The tab model follows the workbench asynchronously.
    await waitFor('the preview tab', () => previewTabs().length === 1 && /editor-build:latest/.test(previewTabs()[0].label));
    await new Promise((r) => setTimeout(r, 500));
    await screenshot('build-preview');
  });

  test('slipway.showImageLayers reuses the panel for any image', async function () {
    this.timeout(30_000);
    const panel = await vscode.commands.executeCommand<{ whenReady(ms: number): Promise<void> } | undefined>('slipway.showImageLayers', 'busybox:latest');
    assert.ok(panel, 'no panel');
    await panel.whenReady(15_000);
    await waitFor('one preview tab titled busybox:latest', () => previewTabs().length === 1 && /busybox:latest/.test(previewTabs()[0].label));
    await screenshot('image-layers');
  });

  test('a failing RUN ends without an image', async function () {
    this.timeout(120_000);
    const failing = vscode.Uri.joinPath(folder, 'fail.Dockerfile');
    writeFileSync(failing.fsPath, 'FROM busybox\nRUN echo about to fail && exit 3\n');
    const outcome = await vscode.commands.executeCommand('slipway.buildImage', failing, { tag: 'editor-fail:latest' });
    assert.equal(outcome, undefined);
    const images = await api.services.client().get<Array<{ RepoTags?: string[] | null }>>('/images/json');
    assert.ok(!images.some((i) => (i.RepoTags ?? []).some((t) => t.includes('editor-fail'))), 'no image was tagged');
  });
});
