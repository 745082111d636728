// slipway.showServiceInfo: /version + /info summarised in a notification; the full bodies go to
// the output channel. Returns the summary (the editor tests read it).
import * as vscode from 'vscode';
import { describe } from '../../runtime/errors';
import type { VersionBody } from '../service/connection';
import { summarizeServiceInfo, type InfoBody, type ServiceInfoSummary } from '../service/info';
import type { Command } from './command';

export const showServiceInfo: Command = {
  id: 'slipway.showServiceInfo',
  async run(services): Promise<ServiceInfoSummary | undefined> {
    const { service, output } = services;
    try {
      await service.whenConnected(10_000);
      const client = services.client();
      const [version, info] = await Promise.all([client.get<VersionBody>('/version'), client.get<InfoBody>('/info')]);
      const summary = summarizeServiceInfo(version, info, service.location);
      output.info(`${summary.message}\n${summary.detail.join('\n')}`);
      void vscode.window.showInformationMessage(summary.message, { detail: summary.detail.join('\n') }, 'Show Logs')
        .then((pick) => { if (pick) output.show(); });
      return summary;
    } catch (err) {
      const message = `Slipway: the runtime service at ${service.location.socketPath} is not reachable: ${describe(err)}`;
      output.error(message);
      void vscode.window.showErrorMessage(message, 'Restart Service', 'Show Logs').then((pick) => {
        if (pick === 'Restart Service') void vscode.commands.executeCommand('slipway.restartService');
        if (pick === 'Show Logs') output.show();
      });
      return undefined;
    }
  },
};
