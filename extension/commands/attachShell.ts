// slipway.attachShell: `exec -it CONTAINER /bin/sh` in a terminal.
import * as vscode from 'vscode';
import { describe } from '../../runtime/errors';
import { openExecTerminal } from '../terminals/open';
import type { Command } from './command';
import { containerTarget } from './targets';

export const attachShell: Command = {
  id: 'slipway.attachShell',
  async run(services, _context, arg) {
    const target = await containerTarget(services, arg, (c) => c.state === 'running');
    if (!target) return;
    try {
      return await openExecTerminal(services, target.id, ['/bin/sh']);
    } catch (err) {
      void vscode.window.showErrorMessage(`Slipway: cannot open a shell in ${target.name}: ${describe(err)}`);
    }
  },
};
