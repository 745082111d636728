// slipway.runImage: run a container from an image, publish the EXPOSEd ports the user picks,
// attach a terminal.
import * as vscode from 'vscode';
import { describe } from '../../runtime/errors';
import { runInTerminal } from '../terminals/run';
import type { Command } from './command';
import { imageTarget } from './targets';

export const runImage: Command = {
  id: 'slipway.runImage',
  async run(services, _context, arg) {
    const target = await imageTarget(services, arg);
    if (!target) return;
    try {
      return await runInTerminal(services, target.ref);
    } catch (err) {
      void vscode.window.showErrorMessage(`Slipway: cannot run ${target.ref}: ${describe(err)}`);
    }
  },
};
