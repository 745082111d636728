// slipway.inspectImage: GET /images/{name}/json in a read-only JSON editor.
import * as vscode from 'vscode';
import { describe } from '../../runtime/errors';
import type { Command } from './command';
import { imageTarget } from './targets';

export const inspectImage: Command = {
  id: 'slipway.inspectImage',
  async run(services, _context, arg) {
    const target = await imageTarget(services, arg);
    if (!target) return;
    try {
      const body = await services.client().get(`/images/${encodeURIComponent(target.ref)}/json`);
      const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(body, null, 2) });
      return await vscode.window.showTextDocument(doc, { preview: true });
    } catch (err) {
      void vscode.window.showErrorMessage(`Slipway: cannot inspect ${target.ref}: ${describe(err)}`);
    }
  },
};
