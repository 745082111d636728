// The explicit services object built in activate() and passed to every feature.
import * as vscode from 'vscode';
import type { ApiClient } from '../runtime/client';
import { describe } from '../runtime/errors';
import { ServiceConnection } from './service/connection';
import { ClientEndpoint } from './service/endpoint';
import { resolveServiceLocation, type ServiceLocation } from './service/location';
import { insecureRegistriesFromSetting } from './service/registries';

export interface Services {
  output: vscode.LogOutputChannel;
  /** The runtime service: state, onDidChangeState, onEvent (GET /events), whenConnected, restart. */
  service: ServiceConnection;
  /** A Docker Engine API client for the service the connection points at (follows the settings). */
  client(): ApiClient;
}

function locationFromSettings(): ServiceLocation {
  const config = vscode.workspace.getConfiguration('slipway.service');
  return resolveServiceLocation({ socketPath: config.get<string>('socketPath'), stateRoot: config.get<string>('stateRoot') });
}

export function createServices(context: vscode.ExtensionContext): Services {
  const output = vscode.window.createOutputChannel('Slipway', { log: true });
  context.subscriptions.push(output);
  // Read at every start of the service; a bad entry is reported and the setting ignored.
  const startSettings = () => {
    try {
      return { insecureRegistries: insecureRegistriesFromSetting(vscode.workspace.getConfiguration('slipway').get('insecureRegistries')) };
    } catch (err) {
      output.error(describe(err));
      void vscode.window.showErrorMessage(`Slipway: ${describe(err)}`);
      return {};
    }
  };

  let location: ServiceLocation;
  try {
    location = locationFromSettings();
  } catch (err) {
    // A bad setting must not keep the extension from activating: fall back to the defaults.
    output.error(describe(err));
    void vscode.window.showErrorMessage(`Slipway: ${describe(err)}`);
    location = resolveServiceLocation({});
  }
  let endpoint = new ClientEndpoint(location, process.env, startSettings);
  const service = new ServiceConnection(location, endpoint, { log: (m) => output.info(m) });

  context.subscriptions.push(
    { dispose: () => { service.dispose(); endpoint.dispose(); } },
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('slipway.insecureRegistries')) {
        // The running service read its list when it started (as dockerd does): offer a restart.
        if (startSettings().insecureRegistries === undefined) return;
        void vscode.window.showInformationMessage('Slipway: the runtime service uses the changed insecure registries after a restart.', 'Restart Service')
          .then((pick) => { if (pick) void vscode.commands.executeCommand('slipway.restartService'); });
      }
      if (!e.affectsConfiguration('slipway.service')) return;
      try {
        const next = locationFromSettings();
        if (next.socketPath === service.location.socketPath && next.stateRoot === service.location.stateRoot) return;
        const previous = endpoint;
        endpoint = new ClientEndpoint(next, process.env, startSettings);
        service.relocate(next, endpoint);
        previous.dispose();
      } catch (err) {
        output.error(describe(err));
        void vscode.window.showErrorMessage(`Slipway: ${describe(err)}`);
      }
    }),
  );
  return { output, service, client: () => endpoint.client };
}
