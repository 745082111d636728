// The explicit services object built in activate() and passed to every feature.
import * as vscode from 'vscode';
import type { ApiClient } from '../runtime/client';
import { describe } from '../runtime/errors';
import { ServiceConnection } from './service/connection';
import { ClientEndpoint } from './service/endpoint';
import { resolveServiceLocation, type ServiceLocation } from './service/location';

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

  let location: ServiceLocation;
  try {
    location = locationFromSettings();
  } catch (err) {
    // A bad setting must not keep the extension from activating: fall back to the defaults.
    output.error(describe(err));
    void vscode.window.showErrorMessage(`Slipway: ${describe(err)}`);
    location = resolveServiceLocation({});
  }
  let endpoint = new ClientEndpoint(location);
  const service = new ServiceConnection(location, endpoint, { log: (m) => output.info(m) });

  context.subscriptions.push(
    { dispose: () => { service.dispose(); endpoint.dispose(); } },
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('slipway.service')) return;
      try {
        const next = locationFromSettings();
        if (next.socketPath === service.location.socketPath && next.stateRoot === service.location.stateRoot) return;
        const previous = endpoint;
        endpoint = new ClientEndpoint(next);
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
