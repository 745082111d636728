// Dockerfile language features in a real VS Code: language registration, diagnostics and
// quick fixes from the lint engine, hover, completion, outline, definition, rename, folding.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the driver opens a workspace folder');
  return f.uri;
}

const created: vscode.Uri[] = [];

/** Writes a file into the workspace (unique per test) and opens it in an editor. */
async function open(name: string, text: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.joinPath(folder(), `language-${Date.now()}-${created.length}`, name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  created.push(vscode.Uri.joinPath(uri, '..'));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

const pos = (doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position => {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `${needle} not in the document`);
  return doc.positionAt(at + delta);
};

suite('language features', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const dir of created) await vscode.workspace.fs.delete(dir, { recursive: true, useTrash: false });
  });

  test('Dockerfile names open in the dockerfile language', async () => {
    for (const name of ['Dockerfile', 'Dockerfile.prod', 'api.Dockerfile', 'Containerfile', 'build.dockerfile']) {
      const doc = await open(name, 'FROM busybox\n');
      assert.equal(doc.languageId, 'dockerfile', name);
    }
  });

  test('diagnostics appear, a quick fix applies, and the diagnostic goes away', async () => {
    const doc = await open('Dockerfile', 'FROM busybox:1.36\nADD app.py /app/\nCMD echo hi\n');
    const diags = await until('DL3020 and JSONArgsRecommended', () => {
      const d = vscode.languages.getDiagnostics(doc.uri);
      const codes = d.map((x) => (typeof x.code === 'object' ? String(x.code.value) : String(x.code)));
      return codes.includes('DL3020') && codes.includes('JSONArgsRecommended') ? d : undefined;
    });
    const add = diags.find((d) => typeof d.code === 'object' && d.code.value === 'DL3020');
    assert.equal(add?.range.start.line, 1);
    assert.equal(add?.source, 'slipway');
    assert.match(String(typeof add?.code === 'object' ? add.code.target : ''), /hadolint|docker/);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, add!.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Use COPY'), titles.join(' | '));
    assert.ok(titles.some((t) => /Ignore DL3020/.test(t)), titles.join(' | '));
    const useCopy = actions.find((a) => a.title === 'Use COPY')!;
    assert.ok(await vscode.workspace.applyEdit(useCopy.edit!));
    assert.equal(doc.lineAt(1).text, 'COPY app.py /app/');
    await until('DL3020 to go away', () => !vscode.languages.getDiagnostics(doc.uri).some((d) => typeof d.code === 'object' && d.code.value === 'DL3020') || undefined);

    // "ignore this rule here" on the CMD line inserts a suppression comment above it.
    const cmd = vscode.languages.getDiagnostics(doc.uri).find((d) => typeof d.code === 'object' && d.code.value === 'JSONArgsRecommended')!;
    const skip = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, cmd.range))
      .find((a) => /Skip JSONArgsRecommended/.test(a.title));
    assert.ok(skip?.edit);
    assert.ok(await vscode.workspace.applyEdit(skip.edit));
    assert.equal(doc.lineAt(2).text, '# check=skip=JSONArgsRecommended');
    await until('JSONArgsRecommended to go away', () => !vscode.languages.getDiagnostics(doc.uri).some((d) => typeof d.code === 'object' && d.code.value === 'JSONArgsRecommended') || undefined);
  });

  test('the severity setting turns a rule off', async () => {
    const doc = await open('Dockerfile', 'FROM busybox:1.36\nADD app.py /app/\n');
    await until('DL3020', () => vscode.languages.getDiagnostics(doc.uri).some((d) => typeof d.code === 'object' && d.code.value === 'DL3020') || undefined);
    const config = vscode.workspace.getConfiguration('slipway.lint');
    await config.update('severities', { DL3020: 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await until('DL3020 off', () => !vscode.languages.getDiagnostics(doc.uri).some((d) => typeof d.code === 'object' && d.code.value === 'DL3020') || undefined);
    } finally {
      await config.update('severities', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('hover shows instruction docs and resolved variable values', async () => {
    const doc = await open('Dockerfile', 'FROM busybox\nARG V=1.2\nENV FULL=app-${V}\nRUN echo $FULL\n');
    const text = async (p: vscode.Position) => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, p);
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    };
    assert.match(await text(pos(doc, 'RUN', 1)), /\*\*RUN\*\*/);
    assert.match(await text(pos(doc, '$FULL', 2)), /app-1\.2/);
  });

  test('completion offers instructions, flags and stage names', async () => {
    const doc = await open('Dockerfile', 'FROM busybox AS build\nFROM busybox\nCOPY --from= /a /b\nCO\n');
    const labels = async (p: vscode.Position) => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, p);
      return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    };
    assert.ok((await labels(pos(doc, '--from=', 7))).includes('build'));
    assert.ok((await labels(new vscode.Position(3, 2))).includes('COPY'));
  });

  test('outline, definition, rename and folding', async () => {
    const doc = await open('Dockerfile', 'FROM busybox AS build\nRUN echo a \\\n  b\nFROM busybox\nCOPY --from=build /a /b\n');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.deepEqual(symbols.map((s) => s.name), ['build', 'stage 1']);
    assert.deepEqual(symbols[0].children.map((c) => c.name), ['RUN']);

    const defs = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', doc.uri, pos(doc, '=build', 2));
    const def = defs[0];
    const range = 'targetRange' in def ? def.targetRange : def.range;
    assert.deepEqual([range.start.line, range.start.character], [0, 16]);

    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, pos(doc, 'build', 1), 'compile');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(doc.getText(), 'FROM busybox AS compile\nRUN echo a \\\n  b\nFROM busybox\nCOPY --from=compile /a /b\n');

    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', doc.uri);
    const spans = folds.map((f) => `${f.start}-${f.end}`);
    assert.ok(spans.includes('0-2') && spans.includes('1-2'), spans.join(' '));
  });
});
