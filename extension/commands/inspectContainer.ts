// slipway.inspectContainer: GET /containers/{id}/json in a read-only JSON editor.
import * as vscode from 'vscode';
import { describe } from '../../runtime/errors';
import type { Command } from './command';
import { containerTarget } from './targets';

export const inspectContainer: Command = {
  id: 'slipway.inspectContainer',
  async run(services, _context, arg) {
    const target = await containerTarget(services, arg);
    if (!target) return;
    try {
      const body = await services.client().get(`/containers/${encodeURIComponent(target.id)}/json`);
      const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(body, null, 2) });
      return await vscode.window.showTextDocument(doc, { preview: true });
    } catch (err) {
      void vscode.window.showErrorMessage(`Slipway: cannot inspect ${target.name}: ${describe(err)}`);
    }
  },
};
