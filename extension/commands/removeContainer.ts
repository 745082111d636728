// slipway.removeContainer: DELETE /containers/{id}, confirming first (force for a running one).
import * as vscode from 'vscode';
import { describe } from '../../runtime/errors';
import type { Command } from './command';
import { containerTarget } from './targets';

export const removeContainer: Command = {
  id: 'slipway.removeContainer',
  async run(services, _context, arg) {
    const target = await containerTarget(services, arg);
    if (!target) return;
    const answer = await vscode.window.showWarningMessage(`Remove container ${target.name}? A running container is killed first.`, { modal: true }, 'Remove');
    if (answer !== 'Remove') return;
    try {
      await services.client().request('DELETE', `/containers/${encodeURIComponent(target.id)}`, { query: { force: true } }).then((res) => res.resume());
    } catch (err) {
      void vscode.window.showErrorMessage(`Slipway: cannot remove ${target.name}: ${describe(err)}`);
    }
  },
};
