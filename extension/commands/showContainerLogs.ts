// slipway.showContainerLogs: the container's log, followed, in a read-only terminal.
import * as vscode from 'vscode';
import { describe } from '../../runtime/errors';
import { openLogsTerminal } from '../terminals/open';
import type { Command } from './command';
import { containerTarget } from './targets';

export const showContainerLogs: Command = {
  id: 'slipway.showContainerLogs',
  async run(services, _context, arg) {
    const target = await containerTarget(services, arg);
    if (!target) return;
    try {
      return await openLogsTerminal(services, target.id);
    } catch (err) {
      void vscode.window.showErrorMessage(`Slipway: cannot show the logs of ${target.name}: ${describe(err)}`);
    }
  },
};
