// What the status bar shows for each connection state. Pure, so the wording is unit-tested.
import type { ServiceState } from './connection';
import type { ServiceLocation } from './location';

export interface StatusPresentation {
  text: string;
  tooltip: string;
  /** Shown with the theme's warning colours. */
  warning: boolean;
}

export function presentStatus(state: ServiceState, location: ServiceLocation): StatusPresentation {
  const where = `Socket: ${location.socketPath}\nState: ${location.stateRoot}`;
  switch (state.kind) {
    case 'connecting':
      return {
        text: '$(sync~spin) Slipway',
        tooltip: `Slipway runtime service: connecting${state.attempt > 0 ? ` (attempt ${state.attempt + 1})` : ''}\n${where}`,
        warning: false,
      };
    case 'connected':
      return {
        text: `Slipway ${state.version.Version}`,
        tooltip: `Slipway runtime service ${state.version.Version} (API ${state.version.ApiVersion})\n${where}\nClick for details.`,
        warning: false,
      };
    case 'unreachable':
      return {
        text: '$(warning) Slipway',
        tooltip: `Slipway runtime service unreachable\n${where}\nError: ${state.error}\n`
          + `Retrying in ${Math.ceil(state.retryInMs / 1000)} s. Click for details.`,
        warning: true,
      };
  }
}
