// UndefinedVar with a base image from the local store, in a real VS Code: a Dockerfile FROM an
// image the store does not have is not checked; importing that image (with ENV) into the
// service makes the extension fetch its environment on the image event and re-lint, so a
// typo gets a "did you mean" and the image's own variable does not; removing the image again
// takes the finding away. The driver gives this window a temp service.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SlipwayApi } from '../../../extension/api';

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('base image environments', () => {
  let api: SlipwayApi;
  let dir: vscode.Uri | undefined;
  const image = `slipway-env-test-${Date.now()}`;

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<SlipwayApi>('slipway.slipway');
    assert.ok(ext, 'extension slipway.slipway is not loaded');
    api = await ext.activate();
    await api.services.service.whenConnected(30_000);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (dir) await vscode.workspace.fs.delete(dir, { recursive: true, useTrash: false });
    await api.services.client().json('DELETE', `/images/${image}`).catch(() => undefined);
  });

  test('importing the base image re-lints with its Env; removing it takes the finding away', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the driver opens a workspace folder');
    dir = vscode.Uri.joinPath(folder, `image-env-${Date.now()}`);
    const uri = vscode.Uri.joinPath(dir, 'Dockerfile');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`FROM ${image}\nWORKDIR $APP_HOME\nLABEL x=$APP_HOEM\n`));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const undefinedVars = () => vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === 'UndefinedVar');

    // Linted (DL3006: no tag), and the unknown image's stage is not checked.
    await until('the first lint', () => (vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'DL3006') ? true : undefined));
    assert.deepEqual(undefinedVars().map((d) => d.message), []);

    // `docker import` of an empty layer with ENV: the service publishes an image event.
    const client = api.services.client();
    const res = await client.request('POST', '/images/create', {
      query: { fromSrc: '-', repo: image, tag: 'latest', changes: 'ENV APP_HOME=/srv/app' }, body: Buffer.alloc(1024),
    });
    for await (const _ of res) { /* drain */ }
    const found = await until('UndefinedVar after the import', () => (undefinedVars().length > 0 ? undefinedVars() : undefined));
    assert.deepEqual(found.map((d) => [d.range.start.line, d.message]), [[2, "Usage of undefined variable '$APP_HOEM' (did you mean $APP_HOME?)"]]);

    await client.json('DELETE', `/images/${image}`);
    await until('no UndefinedVar once the image is gone', () => (undefinedVars().length === 0 ? true : undefined));
  });
});
