// Where the extension looks for the runtime service: settings first, then the environment
// (SLIPWAY_SOCKET / SLIPWAY_ROOT), then the defaults the service and CLI use (runtime/paths.ts).
// Pure: the caller passes the settings and the environment.
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError } from '../../runtime/errors';
import { defaultSocketPath, defaultStateRoot } from '../../runtime/paths';

export interface ServiceLocation {
  socketPath: string;
  stateRoot: string;
}

export interface ServiceSettings {
  /** `slipway.service.socketPath`; empty = default. */
  socketPath?: string;
  /** `slipway.service.stateRoot`; empty = default. */
  stateRoot?: string;
}

/** `~` and `~/x` name the user's home; anything else must be absolute. */
function settingPath(setting: string, value: string, home: string): string {
  const v = value.trim();
  const expanded = v === '~' ? home : v.startsWith('~/') ? path.join(home, v.slice(2)) : v;
  if (!path.isAbsolute(expanded)) {
    throw new InvalidArgumentError(`setting ${setting} must be an absolute path (or start with ~/), got "${value}"`);
  }
  return path.normalize(expanded);
}

export function resolveServiceLocation(settings: ServiceSettings, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): ServiceLocation {
  return {
    socketPath: settings.socketPath?.trim()
      ? settingPath('slipway.service.socketPath', settings.socketPath, home)
      : defaultSocketPath(env),
    stateRoot: settings.stateRoot?.trim()
      ? settingPath('slipway.service.stateRoot', settings.stateRoot, home)
      : defaultStateRoot(env),
  };
}
