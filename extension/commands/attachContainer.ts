// slipway.attachContainer: the container's own stdio in a terminal (closing it detaches).
import * as vscode from 'vscode';
import { describe } from '../../runtime/errors';
import { openAttachTerminal } from '../terminals/open';
import type { Command } from './command';
import { containerTarget } from './targets';

export const attachContainer: Command = {
  id: 'slipway.attachContainer',
  async run(services, _context, arg) {
    const target = await containerTarget(services, arg, (c) => c.state === 'running');
    if (!target) return;
    try {
      return await openAttachTerminal(services, target.id);
    } catch (err) {
      void vscode.window.showErrorMessage(`Slipway: cannot attach to ${target.name}: ${describe(err)}`);
    }
  },
};
