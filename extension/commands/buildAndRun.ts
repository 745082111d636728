// slipway.buildAndRun: build, then run the image with the EXPOSEd ports the user picks and
// attach a terminal.
import * as vscode from 'vscode';
import { describe } from '../../runtime/errors';
import { buildFromEditor } from '../preview/buildFromEditor';
import { runInTerminal } from '../terminals/run';
import type { Command } from './command';

export const buildAndRun: Command = {
  id: 'slipway.buildAndRun',
  async run(services, context, arg, options) {
    const built = await buildFromEditor(services, context, arg, options);
    if (!built) return;
    const image = built.tags[0] ?? built.imageId;
    try {
      return await runInTerminal(services, image);
    } catch (err) {
      void vscode.window.showErrorMessage(`Slipway: cannot run ${image}: ${describe(err)}`);
    }
  },
};
