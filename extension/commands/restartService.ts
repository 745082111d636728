// slipway.restartService: stops the service that holds the state lock and starts a fresh one.
// Returns the new service's /version (the editor tests read it).
import * as vscode from 'vscode';
import { describe } from '../../runtime/errors';
import type { VersionBody } from '../service/connection';
import type { Command } from './command';

export const restartService: Command = {
  id: 'slipway.restartService',
  async run({ service, output }): Promise<VersionBody | undefined> {
    try {
      const version = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Slipway: restarting the runtime service' },
        () => service.restart(),
      );
      output.info(`runtime service restarted: ${version.Version}`);
      void vscode.window.showInformationMessage(`Slipway: runtime service ${version.Version} restarted`);
      return version;
    } catch (err) {
      const message = `Slipway: could not restart the runtime service: ${describe(err)}`;
      output.error(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  },
};
