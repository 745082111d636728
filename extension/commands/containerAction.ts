// The shape shared by the simple container commands (start, stop, restart): one POST to the
// container's endpoint, a status message, errors shown with the container's name.
import * as vscode from 'vscode';
import { describe } from '../../runtime/errors';
import type { ContainerNode } from '../views/containers/model';
import type { Command } from './command';
import { containerTarget } from './targets';

export function containerAction(id: string, verb: string, endpoint: string, want: (c: ContainerNode) => boolean): Command {
  return {
    id,
    async run(services, _context, arg) {
      const target = await containerTarget(services, arg, want);
      if (!target) return;
      try {
        // stop/restart wait for the process to end (10 s grace): no request timeout there.
        await services.client().post(`/containers/${encodeURIComponent(target.id)}/${endpoint}`, undefined, { timeoutMs: 0 });
        vscode.window.setStatusBarMessage(`Slipway: ${verb} ${target.name}`, 3000);
      } catch (err) {
        void vscode.window.showErrorMessage(`Slipway: cannot ${endpoint} ${target.name}: ${describe(err)}`);
      }
    },
  };
}
