// Our TextMate grammar wins over VS Code's built-in Dockerfile grammar (both are named
// source.dockerfile): with the cursor on tokens only ours scopes — a flag name, a ${VAR:-x}
// modifier, a heredoc body, a stage name — "Developer: Inspect Editor Tokens and Scopes"
// (editor.action.inspectTMScopes) lists our scope names. The extension API has no token API,
// so the widget's text is read from the workbench DOM through the driver (dom.ts).
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { domText } from './dom';

const SOURCE = [
  'FROM alpine:3.20 AS build',
  'COPY --chmod=644 a.txt /srv/',
  'WORKDIR /srv/${APP:-web}',
  'RUN <<EOF',
  'echo from a heredoc',
  'EOF',
  '',
].join('\n');

// [what, text to put the cursor in, offset in it, a scope only our grammar gives it]
const CASES: [string, string, number, string][] = [
  ['stage name', 'AS build', 4, 'entity.name.type.stage.dockerfile'],
  ['flag name', '--chmod', 3, 'entity.other.attribute-name.flag.dockerfile'],
  ['${VAR:-x} modifier', ':-web', 0, 'keyword.operator.expansion.dockerfile'],
  ['heredoc body', 'from a heredoc', 2, 'meta.heredoc.dockerfile'],
];

const SCOPES = '.token-inspect-widget .tiw-metadata-scopes';

suite('grammar', () => {
  let dir: vscode.Uri | undefined;
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (dir) await vscode.workspace.fs.delete(dir, { recursive: true, useTrash: false });
  });

  test('the inspect-tokens widget shows our grammar\'s scopes, not the built-in grammar\'s', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the driver opens a workspace folder');
    dir = vscode.Uri.joinPath(folder, `grammar-${Date.now()}`);
    const uri = vscode.Uri.joinPath(dir, 'Dockerfile');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(SOURCE));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    assert.equal(editor.document.languageId, 'dockerfile');
    const place = (needle: string, delta: number) => {
      const at = SOURCE.indexOf(needle);
      assert.ok(at >= 0, needle);
      const p = editor.document.positionAt(at + delta);
      editor.selection = new vscode.Selection(p, p);
    };
    place(CASES[0][1], CASES[0][2]);
    await vscode.commands.executeCommand('editor.action.inspectTMScopes');
    try {
      for (const [what, needle, delta, scope] of CASES) {
        place(needle, delta);
        // The widget follows the cursor; the grammar may still be loading for the first case.
        const end = Date.now() + 10_000;
        let text = '';
        while (!text.includes(scope)) {
          if (Date.now() > end) assert.fail(`${what}: scope ${scope} not in the inspect widget; it shows: ${JSON.stringify(text)}`);
          await new Promise((r) => setTimeout(r, 200));
          text = await domText(SCOPES);
        }
        assert.match(text, /source\.dockerfile/, `${what}: the root scope is listed`);
      }
    } finally {
      await vscode.commands.executeCommand('editor.action.inspectTMScopes');
    }
  });
});
